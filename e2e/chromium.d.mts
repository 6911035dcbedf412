export declare const systemChromium: string | undefined;
export declare const chromiumLaunchOptions: { executablePath?: string; args: string[] };
