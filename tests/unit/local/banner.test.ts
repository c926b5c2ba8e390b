/** local/banner.ts: what `serverless offline` prints once the system answers, from the resolved config. */
import { PROJECT_ROOT } from '../../../dev/paths';
import { resolvedService, routes, type ResolvedService } from '../../../dev/service';
import { banner, bannerLines, type BannerInput } from '../../../local/banner';

let service: ResolvedService;
beforeAll(async () => {
  service = await resolvedService('local');
}, 120_000);

const input = (changes: Partial<BannerInput> = {}): BannerInput => ({
  info: {
    apiUrl: 'http://127.0.0.1:3000/local',
    websiteUrl: 'http://127.0.0.1:8080',
    mailboxUrl: 'http://127.0.0.1:8080/mailbox',
    region: 'us-east-1',
    userPoolId: 'local_7FXNVZVP',
    userPoolClientId: '5e3a1xoohe4u0otulqwy8lvjr',
    cognitoEndpoint: 'http://127.0.0.1:9229',
    dynamodbEndpoint: 'http://127.0.0.1:8000',
    firehoseEndpoint: 'http://127.0.0.1:4573',
  },
  service,
  lambdaPort: 3002,
  dataDir: `${PROJECT_ROOT}/.local`,
  root: PROJECT_ROOT,
  times: { configured: 3.2, servicesUp: 5.1, answering: 5.6 },
  ...changes,
});

test('every HTTP route of serverless.yml is listed once, public or signed in as its authorizer says', () => {
  const lines = bannerLines(input());
  const listed = routes(service);
  expect(listed.length).toBeGreaterThanOrEqual(7);
  for (const route of listed) {
    const matching = lines.filter((line) => line.trim().split(/\s+/).slice(0, 2).join(' ') === `${route.method} ${route.path}`);
    expect(matching).toHaveLength(1);
    expect(matching[0]).toContain(route.authorized ? 'signed in' : 'public');
  }
});

test('the Lambda endpoint once, with an example that names a function by its deployed name and a sample event', () => {
  const text = banner(input());
  expect(text.match(/2015-03-31\/functions/g)).toHaveLength(1);
  expect(text).toContain('http://127.0.0.1:3002/2015-03-31/functions/mysfits-local-listMysfits/invocations');
  expect(text).toContain('curl -d @events/listMysfits.json');
});

test('fits an 80-column terminal with the default ports (but the example URL, one word to copy), and names the data folder', () => {
  const lines = bannerLines(input()).filter((line) => !line.includes('/invocations'));
  expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
  expect(lines.join('\n')).toContain('.local/stack.json');
  expect(bannerLines(input({ dataDir: '/tmp/elsewhere' })).join('\n')).toContain('/tmp/elsewhere/stack.json');
});

test('the time is counted from the start of the command; when it is long, where it went', () => {
  expect(bannerLines(input())[0]).toContain('5.6 s from the start of the command');
  expect(bannerLines(input()).join('\n')).not.toContain('services and bundles');
  const slow = bannerLines(input({ times: { configured: 4.1, servicesUp: 9.6, answering: 10.3 } })).join('\n');
  expect(slow).toContain('10.3 s from the start of the command');
  expect(slow).toContain('the Framework and config 4.1 s, services and bundles 5.5 s, first answer 0.7 s');
});
