/** Settings only the click-recording function reads (at cold start, failing fast: settings.ts). */
import { required } from './settings';

export const clicksConfig = Object.freeze({
  /** The Firehose delivery stream the clicks go to. */
  streamName: required('CLICKS_STREAM'),
  /** The user pool's issuer and app client, to recognise a signed-in person's ID token. */
  cognitoIssuer: required('COGNITO_ISSUER'),
  cognitoClientId: required('COGNITO_CLIENT_ID'),
  /** Where each day's salt for visitors' pseudonyms is kept (shared/visitorSalts.ts). */
  visitorSaltsTable: required('VISITOR_SALTS_TABLE'),
  /** Set only on the local stage, where a stand-in plays the delivery stream. */
  firehoseEndpoint: process.env.FIREHOSE_ENDPOINT || undefined,
});
