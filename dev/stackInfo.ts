/**
 * What the local system and the tools that start it agree on: the ports it takes (each set by an environment
 * variable) and what it writes to `<data>/stack.json` once every part answers.
 */
export interface Ports {
  /** The API: serverless offline's HTTP port (or, in legacy mode, the proxy in front of it). */
  api: number;
  web: number;
  cognito: number;
  dynamodb: number;
  /** serverless-offline's Lambda invoke endpoint. */
  lambda: number;
  /** serverless-offline's own HTTP port when the legacy proxy stands in front of it. */
  offline: number;
  /** The stand-in for the clicks delivery stream. */
  firehose: number;
}

/** The environment variable that sets each port. */
export const PORT_SETTINGS: Record<keyof Ports, string> = {
  api: 'API_PORT',
  web: 'WEB_PORT',
  cognito: 'COGNITO_PORT',
  dynamodb: 'DYNAMODB_PORT',
  lambda: 'LAMBDA_PORT',
  offline: 'OFFLINE_PORT',
  firehose: 'FIREHOSE_PORT',
};

export const DEFAULT_PORTS: Ports = { api: 3000, web: 8080, cognito: 9229, dynamodb: 8000, lambda: 3002, offline: 3003, firehose: 4573 };

/** What `.local/stack.json` holds once every part answers. */
export interface StackInfo {
  apiUrl: string;
  websiteUrl: string;
  mailboxUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
  firehoseEndpoint: string;
}

/** Ports from the environment (API_PORT, WEB_PORT, ...), each checked. */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): Ports {
  const ports = { ...DEFAULT_PORTS };
  for (const key of Object.keys(PORT_SETTINGS) as Array<keyof Ports>) {
    const value = env[PORT_SETTINGS[key]];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${PORT_SETTINGS[key]}=${value} is not a port number.`);
    ports[key] = port;
  }
  return ports;
}
