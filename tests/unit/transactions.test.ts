/** transactWrite: commits, returns why conditions failed, retries conflicts with capped backoff, 503s throttling. */
import { DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { HttpError } from '../../shared/errors';
import { transactWrite } from '../../shared/transactions';
import { UNAVAILABLE_FAILURES, cancelled, reason } from '../support/fixtures';

const ddb = mockClient(DynamoDBDocumentClient);

const INPUT: TransactWriteCommandInput = {
  TransactItems: [
    { ConditionCheck: { TableName: 'test-mysfits', Key: { MysfitId: 'm-1' }, ConditionExpression: 'attribute_exists(MysfitId)' } },
    { Put: { TableName: 'test-user-activity', Item: { UserId: 'u-1', Activity: 'LIKE#m-1' } } },
  ],
};

beforeEach(() => {
  ddb.reset();
  // No waiting between retries unless a test asks for the real delays.
  jest.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

test('a transaction that goes through is committed in one round trip, sent as given', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).resolves({});
  // Act
  const result = await transactWrite(INPUT);
  // Assert
  expect(result).toEqual({ committed: true });
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, INPUT);
});

describe('TransactionConflict', () => {
  test('is retried until the transaction goes through', async () => {
    // Arrange
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(reason.conflict(), reason.none()))
      .rejectsOnce(cancelled(reason.none(), reason.conflict()))
      .resolvesOnce({});
    // Act
    const result = await transactWrite(INPUT);
    // Assert
    expect(result).toEqual({ committed: true });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
  });

  test('is given up after 10 attempts with a 503', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled(reason.conflict(), reason.none()));
    // Act
    const outcome = transactWrite(INPUT);
    // Assert
    await expect(outcome).rejects.toMatchObject({ statusCode: 503, message: 'Too many concurrent updates; try again' });
    await expect(outcome).rejects.toBeInstanceOf(HttpError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 10);
  });

  test('retries wait a jittered, exponentially growing delay capped at 400 ms', async () => {
    // Arrange
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(1); // the top of the jitter range
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    ddb.on(TransactWriteCommand).rejects(cancelled(reason.conflict()));
    // Act
    const outcome = transactWrite(INPUT);
    const settled = expect(outcome).rejects.toMatchObject({ statusCode: 503 });
    await jest.runAllTimersAsync();
    await settled;
    // Assert
    expect(setTimeoutSpy.mock.calls.map(([, delay]) => delay)).toEqual([20, 40, 80, 160, 320, 400, 400, 400, 400]);
  });
});

describe('other cancellations are returned, not retried', () => {
  test('a failed condition comes back with its code and the item as it was, unmarshalled', async () => {
    // Arrange
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled(reason.conditionFailed({ MysfitId: { S: 'm-1' }, Adopted: { BOOL: true }, Likes: { N: '3' } }), reason.none()));
    // Act
    const result = await transactWrite(INPUT);
    // Assert
    expect(result).toEqual({
      committed: false,
      reasons: [
        { code: 'ConditionalCheckFailed', item: { MysfitId: 'm-1', Adopted: true, Likes: 3 } },
        { code: 'None', item: undefined },
      ],
    });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  test('a failed condition on an item that does not exist has no item', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled(reason.none(), reason.conditionFailed()));
    // Act
    const result = await transactWrite(INPUT);
    // Assert
    expect(result).toEqual({ committed: false, reasons: [{ code: 'None' }, { code: 'ConditionalCheckFailed' }] });
  });

  test('a reason without a code reads as None, and an exception without reasons has none', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled({}, reason.conditionFailed())).rejectsOnce(cancelled());
    // Act
    const first = await transactWrite(INPUT);
    const second = await transactWrite(INPUT);
    // Assert
    expect(first).toEqual({ committed: false, reasons: [{ code: 'None' }, { code: 'ConditionalCheckFailed' }] });
    expect(second).toEqual({ committed: false, reasons: [] });
  });

  test('the exception is recognised by name, so a second copy of the SDK in a bundle still works', async () => {
    // Arrange
    const foreign = Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });
    ddb.on(TransactWriteCommand).rejects(foreign);
    // Act
    const result = await transactWrite(INPUT);
    // Assert
    expect(result).toEqual({ committed: false, reasons: [{ code: 'ConditionalCheckFailed' }, { code: 'None' }] });
  });
});

test.each([
  ['ProvisionedThroughputExceeded', [reason.none(), reason.code('ProvisionedThroughputExceeded')]],
  ['ThrottlingError', [reason.code('ThrottlingError'), reason.none()]],
])('a transaction cancelled for %s (DynamoDB throttling it) is a 503 at once', async (_code, reasons) => {
  // Arrange
  ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
  // Act
  const outcome = transactWrite(INPUT);
  // Assert
  await expect(outcome).rejects.toMatchObject({ statusCode: 503 });
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
});

test.each(UNAVAILABLE_FAILURES)('any other error (%s) is thrown as it is, without a retry', async (_name, failure) => {
  // Arrange
  const error = failure();
  ddb.on(TransactWriteCommand).rejects(error);
  // Act
  const outcome = transactWrite(INPUT);
  // Assert
  await expect(outcome).rejects.toBe(error);
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
});
