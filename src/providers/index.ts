// tokenmint/providers: one TokenFlow factory per provider (a folder each); wire facts in docs/providers.md.
export type { Environment, ProviderOptions } from './options.js';
// Every provider's factory, options type, hosts and descriptor (src/providers/<name>/flow.ts), and the
// descriptor lists Prism, the Worker and the test tables are built from (docs/providers.md#adding-a-provider).
export * from './all.js';
export { defineProvider, normaliseName, type CodeGrant, type ProviderDescriptor, type ProviderSpec, type FlowRequest, type ClientTokenFlowRequest } from './descriptor.js';
