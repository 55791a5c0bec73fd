export { createWidgetTokenClient, type ProxyInit, type WidgetTokenClient, type WidgetTokenClientOptions } from './client.js';
export { workerFlow, type WorkerFlowOptions } from './worker-flow.js';
export { visibilityClock } from './visibility-clock.js';
export { TokenError, type AccessToken } from '../core/index.js';
