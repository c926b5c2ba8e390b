/**
 * DynamoDB Local, the local Cognito and the clicks stream stand-in accept any credentials; these say plainly that
 * they are local ones. The functions use them only when pointed at a local endpoint; the local tools always.
 */
// Not frozen: the SDK notes on a credentials object where it came from.
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';
