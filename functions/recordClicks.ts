/** POST /clicks: a batch of what a person did on the website, into the clicks delivery stream. Public. */
import { clicksConfig } from '../shared/clicksConfig';
import { identifyClicker, parseClicks, toClickRecord } from '../shared/clicks';
import { dynamodb } from '../shared/dynamodb';
import { putRecords } from '../shared/firehose';
import { routeHandler } from '../shared/http';
import { count } from '../shared/metrics';
import { idTokenCheck } from '../shared/idToken';
import { dailySalts } from '../shared/visitorSalts';

// A signed-in person's ID token is optional here, so the function checks it itself (the route has no authorizer).
const checkIdToken = idTokenCheck({ issuer: clicksConfig.cognitoIssuer, clientId: clicksConfig.cognitoClientId });

/** The batch, or a 400; a refused batch counts its clicks (or 1 when it has no list) as rejected. */
function parseClicksCounted(body: unknown): ReturnType<typeof parseClicks> {
  try {
    return parseClicks(body);
  } catch (error) {
    const listed = (body as { clicks?: unknown } | null)?.clicks;
    count('ClicksRejected', Array.isArray(listed) ? Math.max(listed.length, 1) : 1);
    throw error;
  }
}

// Visitors' pseudonyms are keyed with the day's secret salt, shared by every instance of this function.
const salts = dailySalts(dynamodb, clicksConfig.visitorSaltsTable);

export const handler = routeHandler(
  'POST /clicks',
  async (event) => {
    const clicks = parseClicksCounted(event.body);
    const now = new Date();
    const clicker = await identifyClicker(event, checkIdToken, salts, now);
    await putRecords(clicks.map((click) => toClickRecord(click, clicker, now)));
    count('ClicksAccepted', clicks.length);
    return { accepted: clicks.length };
  },
  { jsonBody: true },
);
