// tsyringe reads constructor metadata through the Reflect API this polyfill installs.
import 'reflect-metadata';
