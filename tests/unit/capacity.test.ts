/** docs/CAPACITY.md reasons from the traffic mix the bench runs: its table is bench/lib/trafficMix.ts, share for share. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAFFIC_MIX } from '../../bench/lib/trafficMix';
import { PROJECT_ROOT } from '../../dev/paths';

test("the capacity model's mix table is the bench's mix", () => {
  // Arrange
  const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'CAPACITY.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## The mix'), doc.indexOf('What each request does'));
  // Act
  const rows = [...section.matchAll(/^\| (\w+)\s+\|[^|]+\|\s+(\d+) % \|$/gm)].map(([, kind, share]) => ({
    kind,
    share: Number(share) / 100,
  }));
  // Assert
  expect(rows).toEqual(TRAFFIC_MIX.map((v) => ({ kind: v.kind, share: v.share })));
  expect(TRAFFIC_MIX.reduce((sum, v) => sum + v.share, 0)).toBeCloseTo(1, 10);
});
