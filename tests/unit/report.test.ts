/** npm run report: the stored clicks (newline-delimited JSON under clicks/) summed up into what people do on the site. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReport, parseObject, readLocalClicks, summarize, type StoredClick } from '../../scripts/report';

const EVANGELINE = { mysfitId: '4e53920c-505a-4a90-a694-b9300791f0ae', name: 'Evangeline', goodevil: 'Evil', lawchaos: 'Lawful' };
const PAULY = { mysfitId: '2b473002-36f8-4b87-954e-9a377e0ccbec', name: 'Pauly', goodevil: 'Neutral', lawchaos: 'Lawful' };
const COCO = { mysfitId: '0e37d916-f960-4772-a25a-01b762b5c1bd', name: 'CoCo', goodevil: 'Good', lawchaos: 'Chaotic' };

/** A stored click by `userId`; a mysfit's fields as the transformation added them. */
const clickBy = (userId: string, action: string, mysfit: Partial<StoredClick> = {}): StoredClick => ({
  userId,
  signedIn: !userId.startsWith('visitor-'),
  action,
  ...mysfit,
});
const views = (userId: string, mysfit: Partial<StoredClick>, times: number) =>
  Array.from({ length: times }, () => clickBy(userId, 'view', mysfit));
const ndjson = (...clicks: object[]) => clicks.map((c) => `${JSON.stringify(c)}\n`).join('');

describe('parseObject', () => {
  test('reads each line of an object the stream wrote as a click', () => {
    // Arrange
    const text = ndjson(clickBy('ada', 'view', EVANGELINE), clickBy('ada', 'like', PAULY));
    // Act
    const clicks = parseObject(text);
    // Assert
    expect(clicks).toEqual([clickBy('ada', 'view', EVANGELINE), clickBy('ada', 'like', PAULY)]);
  });

  test.each([
    ['a line that is not JSON', 'view Evangeline'],
    ['a blank line', '   '],
    ['JSON that is not a click (no action)', JSON.stringify({ userId: 'ada' })],
    ['JSON that is not a click (no user)', JSON.stringify({ action: 'view' })],
    ['a click whose action is not a string', JSON.stringify({ userId: 'ada', action: 1 })],
    ['JSON null', 'null'],
    ['a number', '42'],
  ])('skips %s and keeps the clicks around it', (_description, line) => {
    // Arrange
    const text = `${JSON.stringify(clickBy('ada', 'view', EVANGELINE))}\n${line}\n${JSON.stringify(clickBy('bob', 'adopt', PAULY))}`;
    // Act
    const clicks = parseObject(text);
    // Assert
    expect(clicks).toEqual([clickBy('ada', 'view', EVANGELINE), clickBy('bob', 'adopt', PAULY)]);
  });

  test('an empty object has no clicks', () => {
    // Arrange / Act / Assert
    expect(parseObject('')).toEqual([]);
  });
});

describe('summarize', () => {
  const clicks: StoredClick[] = [
    ...views('ada', EVANGELINE, 3),
    ...views('bob', EVANGELINE, 1),
    ...views('bob', PAULY, 2),
    ...views('visitor-0123456789abcdef', COCO, 2),
    ...views('cy', { mysfitId: 'f00dfeed-0000-4000-8000-000000000000' }, 1),
    clickBy('ada', 'like', PAULY),
    clickBy('bob', 'like', PAULY),
    clickBy('bob', 'like', EVANGELINE),
    clickBy('ada', 'unlike', PAULY),
    clickBy('bob', 'adopt', COCO),
    clickBy('dee', 'filter', { mysfitId: undefined }),
  ];

  test('counts clicks and the people who made them', () => {
    // Arrange / Act
    const report = summarize(clicks);
    // Assert
    expect(report.clicks).toBe(15);
    expect(report.users).toBe(5);
  });

  test('most viewed, liked and adopted: by name (else the id), most first, ties by name', () => {
    // Arrange / Act
    const report = summarize(clicks);
    // Assert
    expect(report.mostViewed).toEqual([
      { label: 'Evangeline', count: 4 },
      { label: 'CoCo', count: 2 },
      { label: 'Pauly', count: 2 },
      { label: 'f00dfeed-0000-4000-8000-000000000000', count: 1 },
    ]);
    expect(report.mostLiked).toEqual([
      { label: 'Pauly', count: 2 },
      { label: 'Evangeline', count: 1 },
    ]);
    expect(report.mostAdopted).toEqual([{ label: 'CoCo', count: 1 }]);
  });

  test('the top lists keep only the top n', () => {
    // Arrange / Act
    const report = summarize(clicks, 2);
    // Assert
    expect(report.mostViewed.map((c) => c.label)).toEqual(['Evangeline', 'CoCo']);
  });

  test('views by alignment, with views of an unenriched click as unknown', () => {
    // Arrange / Act
    const report = summarize(clicks);
    // Assert
    expect(report.viewsByGoodEvil).toEqual([
      { label: 'Evil', count: 4 },
      { label: 'Good', count: 2 },
      { label: 'Neutral', count: 2 },
      { label: 'unknown', count: 1 },
    ]);
    expect(report.viewsByLawChaos).toEqual([
      { label: 'Lawful', count: 6 },
      { label: 'Chaotic', count: 2 },
      { label: 'unknown', count: 1 },
    ]);
  });

  test.each([
    { people: 'an even number of people', perUser: [3, 3, 2, 1], median: 2.5, average: 2.25, max: 3 },
    { people: 'an odd number of people', perUser: [5, 1, 2], median: 2, average: 2.67, max: 5 },
    { people: 'one person', perUser: [4], median: 4, average: 4, max: 4 },
    { people: 'two people', perUser: [1, 10], median: 5.5, average: 5.5, max: 10 },
  ])('views per person, with $people: median $median, average $average, most $max', ({ perUser, median, average, max }) => {
    // Arrange
    const clicksOf = perUser.flatMap((n, i) => views(`user-${i}`, EVANGELINE, n));
    // Act
    const report = summarize([...clicksOf, clickBy('liker', 'like', PAULY)]);
    // Assert
    expect(report.viewsPerUser).toEqual({ users: perUser.length, views: perUser.reduce((a, b) => a + b, 0), average, median, max });
  });

  test('no clicks: zeros and empty lists', () => {
    // Arrange / Act
    const report = summarize([]);
    // Assert
    expect(report).toEqual({
      clicks: 0,
      users: 0,
      mostViewed: [],
      mostLiked: [],
      mostAdopted: [],
      viewsByGoodEvil: [],
      viewsByLawChaos: [],
      viewsPerUser: { users: 0, views: 0, average: 0, median: 0, max: 0 },
    });
  });
});

describe('formatReport', () => {
  test('prints the totals, each table aligned, and views per person', () => {
    // Arrange
    const report = summarize([...views('ada', EVANGELINE, 12), ...views('bob', PAULY, 3), clickBy('ada', 'like', PAULY)]);
    // Act
    const text = formatReport(report);
    // Assert
    expect(text).toContain('Mysfits clicks: 16 clicks from 2 people\n');
    expect(text).toContain('Most viewed\n  Evangeline     12\n  Pauly           3\n');
    expect(text).toContain('Most liked\n  Pauly      1\n');
    expect(text).toContain('Views by good / evil\n  Evil        12\n  Neutral      3\n');
    expect(text).toContain('Views per person\n  15 views by 2 people: 7.5 on average, median 7.5, most 12\n');
  });

  test('an empty table says (none)', () => {
    // Arrange
    const report = summarize(views('ada', EVANGELINE, 1));
    // Act
    const text = formatReport(report);
    // Assert
    expect(text).toContain('Most liked\n  (none)\n');
    expect(text).toContain('Most adopted\n  (none)\n');
  });
});

describe('readLocalClicks', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mysfits-report-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `text` at `path` (slash-separated) under the folder, making its folders. */
  const put = (path: string, text: string) => {
    const file = join(dir, ...path.split('/'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  };

  test('reads every object under clicks/, in every date partition, and ignores errors/', () => {
    // Arrange
    put(
      'clicks/year=2026/month=11/day=27/mysfits-local-clicks-1-2026-11-27-14-05-00-a',
      ndjson(clickBy('ada', 'view', EVANGELINE), clickBy('ada', 'like', PAULY)),
    );
    put('clicks/year=2026/month=11/day=27/mysfits-local-clicks-1-2026-11-27-14-06-00-b', ndjson(clickBy('bob', 'view', PAULY)));
    put('clicks/year=2026/month=12/day=01/mysfits-local-clicks-1-2026-12-01-09-00-00-c', ndjson(clickBy('cy', 'adopt', COCO)));
    put(
      'errors/processing-failed/year=2026/month=11/day=27/mysfits-local-clicks-1-2026-11-27-14-05-00-d',
      ndjson(clickBy('eve', 'view', EVANGELINE)),
    );
    put('athena-results/query.csv', 'userId,action\nzed,view\n');
    // Act
    const clicks = readLocalClicks(dir);
    // Assert
    expect(clicks).toHaveLength(4);
    expect(clicks.map((c) => `${c.userId} ${c.action}`).sort()).toEqual(['ada like', 'ada view', 'bob view', 'cy adopt']);
  });

  test('skips the lines of an object that are not clicks', () => {
    // Arrange
    put('clicks/year=2026/month=11/day=27/object', `${ndjson(clickBy('ada', 'view', EVANGELINE))}not json\n{"action":"view"}\n`);
    // Act
    const clicks = readLocalClicks(dir);
    // Assert
    expect(clicks).toEqual([clickBy('ada', 'view', EVANGELINE)]);
  });

  test.each([
    ['a folder with no clicks/ yet', (root: string) => root],
    ['a folder that does not exist', (root: string) => join(root, 'missing')],
  ])('%s has no clicks', (_description, folder) => {
    // Arrange
    put('errors/processing-failed/year=2026/month=11/day=27/object', ndjson(clickBy('eve', 'view', EVANGELINE)));
    // Act
    const clicks = readLocalClicks(folder(dir));
    // Assert
    expect(clicks).toEqual([]);
  });
});
