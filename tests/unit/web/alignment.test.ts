/** web/src/alignment.ts: the alignment as the site shows it. */
import { alignment } from '../../../web/src/alignment';

test.each([
  ['Lawful', 'Evil', 'Lawful Evil'],
  ['Chaotic', 'Good', 'Chaotic Good'],
  ['Neutral', 'Good', 'Neutral Good'],
  ['Lawful', 'Neutral', 'Lawful Neutral'],
  ['Neutral', 'Neutral', 'True neutral'],
])('%s and %s read "%s"', (lawchaos, goodevil, words) => {
  expect(alignment(lawchaos, goodevil)).toBe(words);
});
