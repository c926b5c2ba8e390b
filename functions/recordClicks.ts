/** POST /clicks: a batch of what a person did on the website, into the clicks delivery stream. Public. */
import { clicksConfig } from '../shared/clicksConfig';
import { identifyClicker, parseClicks, toClickRecord } from '../shared/clicks';
import { dynamodb } from '../shared/dynamodb';
import { putRecords } from '../shared/firehose';
import { httpHandler, json } from '../shared/http';
import { createKeyStore } from '../shared/idToken';
import { dailySalts } from '../shared/visitorSalts';

// A signed-in person's ID token is optional here, so the function checks it itself (the route has no authorizer).
const pool = {
  issuer: clicksConfig.cognitoIssuer,
  audience: clicksConfig.cognitoClientId,
  keyFor: createKeyStore(`${clicksConfig.cognitoIssuer}/.well-known/jwks.json`),
};

// Visitors' pseudonyms are keyed with the day's secret salt, shared by every instance of this function.
const salts = dailySalts(dynamodb, clicksConfig.visitorSaltsTable);

export const handler = httpHandler(
  async (event) => {
    const clicks = parseClicks(event.body);
    const now = new Date();
    const clicker = await identifyClicker(event, pool, salts, now);
    await putRecords(clicks.map((click) => toClickRecord(click, clicker, now)));
    return json(202, { accepted: clicks.length });
  },
  { jsonBody: true },
);
