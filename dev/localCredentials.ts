/** DynamoDB Local and the local Cognito accept any credentials; these say plainly that they are local ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';
