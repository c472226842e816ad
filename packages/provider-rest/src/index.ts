export { RestInstrument } from './rest-instrument.js';
export { RestMarketDataProvider, type RestMarketDataProviderOptions } from './rest-provider.js';
