// REST pipeline (axios), signing
export * from './rest/index.js';
