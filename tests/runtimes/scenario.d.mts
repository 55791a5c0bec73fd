export declare const CLIENT_ID: string;
export declare const CLIENT_SECRET: string;
/** Resolves with the names of the checks that passed; rejects with the first failing check. */
export declare function runScenario(args: { tokenmint: unknown; baseUrl: string }): Promise<string[]>;
