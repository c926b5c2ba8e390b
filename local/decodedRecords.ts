/**
 * `serverless invoke local -f enrichClicks` prints the transformation's answer as Firehose wants it: each record's
 * data in base64. This reads that answer back and says, for a person, what each record comes to.
 */

interface TransformationAnswer {
  records: Array<{ recordId?: string; result?: string; data?: string }>;
}

const isAnswer = (value: unknown): value is TransformationAnswer =>
  Boolean(value) && Array.isArray((value as { records?: unknown }).records);

/** The decoded records of the last answer printed in `output` (pretty JSON from a line "{"), or undefined. */
export function decodedRecords(output: string): string | undefined {
  const start = output.lastIndexOf('\n{\n');
  let answer: unknown;
  try {
    answer = JSON.parse(start >= 0 ? output.slice(start) : output);
  } catch {
    return undefined;
  }
  if (!isAnswer(answer)) return undefined;
  const lines = answer.records.map((record) => {
    const data = record.data ? Buffer.from(record.data, 'base64').toString('utf8').trimEnd() : '(no data)';
    return `  ${record.recordId ?? '?'}  ${record.result ?? '?'}  ${data}`;
  });
  return ['The records decoded (what the stream writes to S3 for the ones that are Ok):', ...lines].join('\n');
}
