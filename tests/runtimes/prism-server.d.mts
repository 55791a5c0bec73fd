export function runPrismServerScenario(modules: { server: unknown; emulator: unknown }): Promise<string[]>;
