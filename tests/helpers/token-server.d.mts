export declare const CLIENT_ID: string;
export declare const CLIENT_SECRET: string;
export declare const EXPIRES_IN: number;
export interface TokenServer {
  /** http://127.0.0.1:<port>, no trailing slash */
  url: string;
  close(): Promise<void>;
}
export declare function startTokenServer(options?: { host?: string }): Promise<TokenServer>;
