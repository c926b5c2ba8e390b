/**
 * What `serverless offline` prints once the local system answers: every address and id, the routes (method, path,
 * public or signed in) from the resolved config, the Lambda endpoint once with an example that works as written, and
 * how long start-up took from the moment the process started, with where the time went.
 */
import { isAbsolute, join, relative } from 'node:path';
import { deployedName, routes, type ResolvedService } from '../dev/service';
import { localUrl } from '../dev/ports';
import type { StackInfo } from '../dev/stackInfo';

/** Seconds since the process started, at each step of the start. */
export interface StartTimes {
  /** The Framework loaded and the config resolved (the plugin constructed). */
  configured: number;
  /** The local services started and the functions bundled. */
  servicesUp: number;
  /** GET /mysfits answered 200. */
  answering: number;
}

export interface BannerInput {
  info: StackInfo;
  service: ResolvedService;
  lambdaPort: number;
  dataDir: string;
  root: string;
  times: StartTimes;
  legacyListUrl?: string;
}

const seconds = (value: number) => `${value.toFixed(1)} s`;

/** A path for a person: relative to the project when inside it, else absolute. */
function shown(root: string, path: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The lines of the banner: at most 80 columns with the default ports, but the example's URL (one word to copy). */
export function bannerLines({ info, service, lambdaPort, dataDir, root, times, legacyListUrl }: BannerInput): string[] {
  const list = routes(service);
  const methodWidth = Math.max(...list.map((r) => r.method.length));
  const pathWidth = Math.max(...list.map((r) => r.path.length));
  const example = list.find((r) => r.method === 'GET' && !r.path.includes('{')) ?? list[0];
  const lambdaName = example ? deployedName(service, example.functionKey) : '<function>';
  const slow = times.answering > 8;
  return [
    `Mysfits local system is up: ${seconds(times.answering)} from the start of the command`,
    ...(slow
      ? [
          `  (the Framework and config ${seconds(times.configured)}, services and bundles ` +
            `${seconds(times.servicesUp - times.configured)}, first answer ${seconds(times.answering - times.servicesUp)})`,
        ]
      : []),
    '',
    `  Website   ${info.websiteUrl}`,
    `  API       ${info.apiUrl}`,
    `  Mailbox   ${info.mailboxUrl}   (JSON: /mailbox.json?address=...)`,
    `  Cognito   ${info.cognitoEndpoint}   user pool ${info.userPoolId}`,
    `            app client ${info.userPoolClientId}`,
    `  DynamoDB  ${info.dynamodbEndpoint}   region ${info.region}`,
    `  Clicks    ${shown(root, join(dataDir, 'clicks-bucket'))}/   (npm run report)`,
    ...(legacyListUrl ? [`  Legacy    GET /mysfits -> ${legacyListUrl}/mysfits`] : []),
    '',
    '  Routes, under the API address:',
    ...list.map(
      (r) => `    ${r.method.padEnd(methodWidth)}  ${r.path.padEnd(pathWidth)}  ${r.authorized ? 'signed in (ID token)' : 'public'}`,
    ),
    '',
    `  Lambda    ${localUrl(lambdaPort)}, each function by its deployed name:`,
    `    curl -d @events/${example?.functionKey ?? '<function>'}.json \\`,
    `    ${localUrl(lambdaPort)}/2015-03-31/functions/${lambdaName}/invocations`,
    '',
    `  All of it as JSON: ${shown(root, join(dataDir, 'stack.json'))}.   Ctrl-C stops everything.`,
  ];
}

/** The banner between two rules, with no right border: a narrow terminal wraps a long line without breaking a box. */
export function banner(input: BannerInput): string {
  const rule = '─'.repeat(78);
  return `\n${rule}\n${bannerLines(input).join('\n')}\n${rule}\n`;
}
