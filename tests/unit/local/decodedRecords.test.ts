/** local/decodedRecords.ts: the transformation's base64 answer, as a person reads it. */
import { decodedRecords } from '../../../local/decodedRecords';

const base64 = (text: string) => Buffer.from(text).toString('base64');

test('each record with its id, its result and its data decoded', () => {
  const answer = {
    records: [
      { recordId: 'r-1', result: 'Ok', data: base64('{"action":"view","mysfitName":"Evangeline"}\n') },
      { recordId: 'r-2', result: 'ProcessingFailed', data: base64('not json') },
    ],
  };
  const output = `some log line\n${JSON.stringify(answer, null, 4)}\n`;
  expect(decodedRecords(output)).toBe(
    [
      'The records decoded (what the stream writes to S3 for the ones that are Ok):',
      '  r-1  Ok  {"action":"view","mysfitName":"Evangeline"}',
      '  r-2  ProcessingFailed  not json',
    ].join('\n'),
  );
});

test('nothing for an answer that is not a transformation result, or no JSON at all', () => {
  expect(decodedRecords(`\n${JSON.stringify({ statusCode: 200, body: '{}' }, null, 4)}`)).toBeUndefined();
  expect(decodedRecords('no JSON here')).toBeUndefined();
});
