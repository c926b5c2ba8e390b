/** The site's settings, read from /config.json at start: written by the local system, and by the deploy in prod. */
import type { PasswordPolicy } from './passwordPolicy';

export interface SiteConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Only on the local stage (cognito-local); in AWS the Cognito SDK finds the regional endpoint. */
  cognitoEndpoint?: string;
  passwordPolicy: PasswordPolicy;
}

export async function loadConfig(): Promise<SiteConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return (await response.json()) as SiteConfig;
}
