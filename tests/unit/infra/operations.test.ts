/**
 * infra/operations.js refuses an alarm CloudWatch would refuse in the middle of a deploy: metric math over more than
 * 10 metrics (a hard limit), or without exactly one watched expression. (The real alarms: tests/infra/operations.)
 */
import { withinMetricMathLimits } from '../../../infra/operations';

const stat = (i: number) => ({
  Id: `m${i}`,
  ReturnData: false,
  MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'SystemErrors' }, Period: 300, Stat: 'Sum' },
});
const summing = (n: number) => {
  const stats = Array.from({ length: n }, (_, i) => stat(i));
  return [{ Id: 'sum', Expression: stats.map((m) => m.Id).join(' + ') }, ...stats];
};

test('10 metrics and one expression: allowed', () => {
  expect(() => withinMetricMathLimits('TableSystemErrorsAlarm', summing(10))).not.toThrow();
});

test('11 metrics: refused at package time, naming the alarm and the limit', () => {
  expect(() => withinMetricMathLimits('TableSystemErrorsAlarm', summing(11))).toThrow(
    'operations: alarm TableSystemErrorsAlarm would sum 11 metrics; CloudWatch allows at most 10',
  );
});

test('no watched expression, or two: refused', () => {
  const [expression, ...stats] = summing(2);
  expect(() => withinMetricMathLimits('A', [{ ...expression, ReturnData: false } as never, ...stats])).toThrow(/one watched expression/);
  expect(() => withinMetricMathLimits('A', [expression as never, { Id: 'x', Expression: 'm0' }, ...stats])).toThrow(
    /one watched expression/,
  );
});
