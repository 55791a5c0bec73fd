// Names of the contenders, in table order (plain data: the orchestrator reads it without loading them).
export const CONTENDER_INFO = [
  { id: 'tokenmint', label: 'tokenmint', refresh: 'proactive, from one timer at 75–80 % of the lifetime' },
  { id: 'badgateway', label: '@badgateway/oauth2-client OAuth2Fetch', refresh: 'lazy: at expiry, callers wait' },
  { id: 'o4w-hand', label: 'oauth4webapi + hand cache', refresh: 'lazy: at expiry − 5 s, callers wait' },
  { id: 'o4w-hand-sf', label: 'oauth4webapi + hand cache + single-flight', refresh: 'lazy: at expiry − 5 s, callers wait' },
];
