/**
 * The report's SQL files (queries/), each run by DuckDB over a folder laid out like the clicks bucket, holding a
 * clickstream whose answers are worked out by hand below: counts, rates, medians, and days outside the range that
 * must not count.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { clickColumns, type StoredClick } from '../../shared/storedClick';
import { clicksViewSql, runLocal } from '../../scripts/report/local';
import { loadQueries, type Report } from '../../scripts/report/queries';

const EVANGELINE = {
  mysfitId: '4e53920c-505a-4a90-a694-b9300791f0ae',
  name: 'Evangeline',
  species: 'Chimera',
  goodevil: 'Evil',
  lawchaos: 'Lawful',
};
const PAULY = {
  mysfitId: '2b473002-36f8-4b87-954e-9a377e0ccbec',
  name: 'Pauly',
  species: 'Cyclops',
  goodevil: 'Neutral',
  lawchaos: 'Lawful',
};
const COCO = { mysfitId: '0e37d916-f960-4772-a25a-01b762b5c1bd', name: 'CoCo', species: 'Troll', goodevil: 'Good', lawchaos: 'Chaotic' };
/** A click stored before enrichment existed: an id and nothing else about the mysfit. */
const BARE = { mysfitId: 'f00dfeed-0000-4000-8000-000000000000' };
type Mysfit = Partial<typeof EVANGELINE>;

const QUERIES = loadQueries();
const query = (name: string) => {
  const found = QUERIES.find((q) => q.name === name);
  if (!found) throw new Error(`no query ${name}`);
  return found;
};

/** `times` clicks by `userId` on `day` (YYYY-MM-DD) at `hour` UTC; visitors' ids start with visitor-. */
function clicks(day: string, hour: number, userId: string, action: StoredClick['action'], mysfit: Mysfit = {}, times = 1): StoredClick[] {
  const at = `${day}T${String(hour).padStart(2, '0')}:17:05.250Z`;
  return Array.from({ length: times }, () => ({
    eventTime: at,
    receivedAt: at,
    userId,
    signedIn: !userId.startsWith('visitor-'),
    action,
    ...mysfit,
  }));
}

// In the range asked for (2026-11-20 to 2026-11-26):
const DAY_20 = [
  ...clicks('2026-11-20', 9, 'ada', 'view', EVANGELINE, 3),
  ...clicks('2026-11-20', 9, 'ada', 'like', EVANGELINE),
  ...clicks('2026-11-20', 10, 'ada', 'adopt', EVANGELINE),
  ...clicks('2026-11-20', 9, 'bob', 'view', EVANGELINE),
  ...clicks('2026-11-20', 14, 'bob', 'view', PAULY, 2),
  ...clicks('2026-11-20', 23, 'visitor-0123456789abcdef', 'view', COCO, 2),
];
const DAY_22 = [
  ...clicks('2026-11-22', 0, 'cy', 'view', COCO),
  ...clicks('2026-11-22', 0, 'cy', 'view', EVANGELINE),
  ...clicks('2026-11-22', 0, 'cy', 'like', COCO),
  ...clicks('2026-11-22', 0, 'cy', 'unlike', COCO),
  ...clicks('2026-11-22', 14, 'ada', 'view', PAULY),
  ...clicks('2026-11-22', 14, 'ada', 'like', PAULY),
  ...clicks('2026-11-22', 14, 'bob', 'like', PAULY),
  // eve likes Pauly without having viewed it: a like, but not a step of the funnel.
  ...clicks('2026-11-22', 14, 'eve', 'like', PAULY),
  { ...clicks('2026-11-22', 14, 'dee', 'filter')[0], filter: 'GoodEvil', value: 'Evil' } as StoredClick,
];
const DAY_26 = [...clicks('2026-11-26', 12, 'gus', 'view', BARE), ...clicks('2026-11-26', 23, 'bob', 'adopt', PAULY)];
// Outside it: the days just before and after, and another month.
const OUTSIDE = {
  '2026-11-19': [...clicks('2026-11-19', 9, 'zed', 'view', EVANGELINE, 5), ...clicks('2026-11-19', 9, 'ada', 'view', COCO)],
  '2026-11-27': clicks('2026-11-27', 9, 'zed', 'adopt', COCO),
  '2026-10-22': clicks('2026-10-22', 9, 'zed', 'like', COCO, 4),
};

const ndjson = (list: object[]) => list.map((c) => `${JSON.stringify(c)}\n`).join('');
const RANGE = { from: '2026-11-20', to: '2026-11-26' };

let bucket: string;
/** Writes `text` at `path` (slash-separated) under the bucket folder. */
const put = (path: string, text: string) => {
  const file = join(bucket, ...path.split('/'));
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
};
const dayFolder = (day: string) => {
  const [year, month, date] = day.split('-');
  return `clicks/year=${year}/month=${month}/day=${date}`;
};

let report: Report;

beforeAll(async () => {
  bucket = mkdtempSync(join(tmpdir(), 'mysfits-report-sql-'));
  // A day's clicks in more than one object, as the stream writes one per buffer.
  put(`${dayFolder('2026-11-20')}/mysfits-test-clicks-1-2026-11-20-09-00-00-a`, ndjson(DAY_20.slice(0, 4)));
  put(`${dayFolder('2026-11-20')}/mysfits-test-clicks-1-2026-11-20-23-00-00-b`, ndjson(DAY_20.slice(4)));
  // A line that is not JSON is a row of nulls (as in Athena, ignore.malformed.json) and counts nowhere.
  put(`${dayFolder('2026-11-22')}/mysfits-test-clicks-1-2026-11-22-14-00-00-c`, `${ndjson(DAY_22)}not json\n`);
  put(`${dayFolder('2026-11-26')}/mysfits-test-clicks-1-2026-11-26-23-00-00-d`, ndjson(DAY_26));
  for (const [day, list] of Object.entries(OUTSIDE)) put(`${dayFolder(day)}/mysfits-test-clicks-1-${day}-e`, ndjson(list));
  // What is not clicks/ is not read: refused records, Athena's own results.
  put('errors/processing-failed/year=2026/month=11/day=22/object', ndjson(clicks('2026-11-22', 14, 'eve', 'view', EVANGELINE, 7)));
  put('athena-results/query.csv', '"name","views"\n"Evangeline","99"\n');
  report = await runLocal(bucket, QUERIES, RANGE);
}, 60_000);

afterAll(() => rmSync(bucket, { recursive: true, force: true }));

test('the report has one answer per query file, under the file name', () => {
  // Arrange / Act / Assert
  expect(Object.keys(report)).toEqual([
    'most_viewed',
    'most_liked',
    'most_adopted',
    'views_by_good_evil',
    'views_by_law_chaos',
    'views_per_person',
    'funnel',
    'clicks_by_hour',
    'new_vs_returning',
  ]);
});

test('most viewed: views per mysfit in the days asked for, most first, ties by name, the id where there is no name', () => {
  expect(report.most_viewed).toEqual([
    { mysfitid: EVANGELINE.mysfitId, name: 'Evangeline', views: 5 },
    { mysfitid: COCO.mysfitId, name: 'CoCo', views: 3 },
    { mysfitid: PAULY.mysfitId, name: 'Pauly', views: 3 },
    { mysfitid: BARE.mysfitId, name: BARE.mysfitId, views: 1 },
  ]);
});

test('most liked: likes, unlikes and the net, most likes first', () => {
  expect(report.most_liked).toEqual([
    { mysfitid: PAULY.mysfitId, name: 'Pauly', likes: 3, unlikes: 0, net: 3 },
    { mysfitid: EVANGELINE.mysfitId, name: 'Evangeline', likes: 1, unlikes: 0, net: 1 },
    { mysfitid: COCO.mysfitId, name: 'CoCo', likes: 1, unlikes: 1, net: 0 },
  ]);
});

test('most adopted: adoptions per mysfit (the one after the range not counted)', () => {
  expect(report.most_adopted).toEqual([
    { mysfitid: EVANGELINE.mysfitId, name: 'Evangeline', adoptions: 1 },
    { mysfitid: PAULY.mysfitId, name: 'Pauly', adoptions: 1 },
  ]);
});

test('views by alignment, with a click that has none as unknown', () => {
  expect(report.views_by_good_evil).toEqual([
    { goodevil: 'Evil', views: 5 },
    { goodevil: 'Good', views: 3 },
    { goodevil: 'Neutral', views: 3 },
    { goodevil: 'unknown', views: 1 },
  ]);
  expect(report.views_by_law_chaos).toEqual([
    { lawchaos: 'Lawful', views: 8 },
    { lawchaos: 'Chaotic', views: 3 },
    { lawchaos: 'unknown', views: 1 },
  ]);
});

test.each([
  // 4, 3, 2, 2 and 1 views: the middle one.
  { people: 'an odd number of people', range: RANGE, expected: { people: 5, views: 12, average: 2.4, median: 2, most: 4 } },
  // 4, 3, 2 and 2 views: the mean of the middle two.
  {
    people: 'an even number of people',
    range: { from: '2026-11-20', to: '2026-11-22' },
    expected: { people: 4, views: 11, average: 2.75, median: 2.5, most: 4 },
  },
  // 3 (ada), 3 (bob), 2 (the visitor): 3, and the average rounded to two decimals.
  {
    people: 'one day',
    range: { from: '2026-11-20', to: '2026-11-20' },
    expected: { people: 3, views: 8, average: 2.67, median: 3, most: 3 },
  },
  // The day before the range alone: zed 5, ada 1.
  {
    people: 'two people',
    range: { from: '2026-11-19', to: '2026-11-19' },
    expected: { people: 2, views: 6, average: 3, median: 3, most: 5 },
  },
  {
    people: 'nobody',
    range: { from: '2026-11-21', to: '2026-11-21' },
    expected: { people: 0, views: 0, average: null, median: null, most: null },
  },
])('views per person, $people: average, exact median and most', async ({ range, expected }) => {
  // Arrange / Act
  const rows = (await runLocal(bucket, [query('views_per_person')], range)).views_per_person;
  // Assert
  expect(rows).toEqual([expected]);
});

test('the funnel per mysfit: viewers, of them likers, of those adopters, and the rates between the steps', () => {
  expect(report.funnel).toEqual([
    // ada, bob and cy viewed; ada liked and adopted.
    {
      mysfitid: EVANGELINE.mysfitId,
      name: 'Evangeline',
      viewers: 3,
      likers: 1,
      adopters: 1,
      view_to_like: 0.3333,
      like_to_adopt: 1,
      view_to_adopt: 0.3333,
    },
    // the visitor and cy viewed; cy liked (and unliked), nobody adopted.
    { mysfitid: COCO.mysfitId, name: 'CoCo', viewers: 2, likers: 1, adopters: 0, view_to_like: 0.5, like_to_adopt: 0, view_to_adopt: 0 },
    // ada and bob viewed and liked (eve liked without viewing: not a step); bob adopted.
    {
      mysfitid: PAULY.mysfitId,
      name: 'Pauly',
      viewers: 2,
      likers: 2,
      adopters: 1,
      view_to_like: 1,
      like_to_adopt: 0.5,
      view_to_adopt: 0.5,
    },
    {
      mysfitid: BARE.mysfitId,
      name: BARE.mysfitId,
      viewers: 1,
      likers: 0,
      adopters: 0,
      view_to_like: 0,
      like_to_adopt: null,
      view_to_adopt: 0,
    },
  ]);
});

test('clicks by hour of day (UTC): every click in the range and the people who made them, hours with none left out', () => {
  expect(report.clicks_by_hour).toEqual([
    { hour_of_day: 0, clicks: 4, people: 1 },
    { hour_of_day: 9, clicks: 5, people: 2 },
    { hour_of_day: 10, clicks: 1, people: 1 },
    { hour_of_day: 12, clicks: 1, people: 1 },
    { hour_of_day: 14, clicks: 7, people: 4 },
    { hour_of_day: 23, clicks: 3, people: 2 },
  ]);
});

test('new versus returning signed-in people per day (a click before the range does not make one returning)', () => {
  expect(report.new_vs_returning).toEqual([
    { click_date: '2026-11-20', new_people: 2, returning_people: 0 },
    { click_date: '2026-11-22', new_people: 3, returning_people: 2 },
    { click_date: '2026-11-26', new_people: 1, returning_people: 1 },
  ]);
});

describe('an empty bucket', () => {
  test.each([
    ['a folder with no clicks/ yet', (root: string) => root],
    ['a folder that does not exist', (root: string) => join(root, 'missing')],
  ])('%s: every query answers, with no rows (views per person: nobody)', async (_description, folder) => {
    // Arrange
    const empty = mkdtempSync(join(tmpdir(), 'mysfits-report-empty-'));
    mkdirSync(join(empty, 'errors', 'processing-failed'), { recursive: true });
    writeFileSync(join(empty, 'errors', 'processing-failed', 'object'), ndjson(clicks('2026-11-22', 14, 'eve', 'view', EVANGELINE)));
    try {
      // Act
      const answers = await runLocal(folder(empty), QUERIES, RANGE);
      // Assert
      expect(Object.keys(answers)).toHaveLength(QUERIES.length);
      for (const [name, rows] of Object.entries(answers)) {
        expect(rows).toEqual(name === 'views_per_person' ? [{ people: 0, views: 0, average: null, median: null, most: null }] : []);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the clicks view', () => {
  const describeView = async (sql: string) => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(sql);
      const rows = (await connection.runAndReadAll('DESCRIBE clicks')).getRowObjectsJS();
      return rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
  const expected = () => [
    ...clickColumns().map((c) => ({ name: c.name, type: c.duckdbType })),
    ...['year', 'month', 'day'].map((name) => ({ name, type: 'VARCHAR' })),
  ];

  test.each([
    ['over the files', true],
    ['with no files', false],
  ])("%s, has the Glue table's columns (from the click schema) and string partitions, in order", async (_description, hasFiles) => {
    // Arrange / Act
    const columns = await describeView(clicksViewSql(bucket, hasFiles));
    // Assert
    expect(columns).toEqual(expected());
    expect(columns.filter((c) => c.type === 'BOOLEAN').map((c) => c.name)).toEqual(['signedin']);
  });
});

describe('the SQL files', () => {
  const GOOD = `-- Views: all of them.\n-- Parameters: 1. the first day, 2. the last day.\nSELECT count(*) AS views FROM clicks\nWHERE year || '-' || month || '-' || day BETWEEN ? AND ?\n`;

  test.each([
    ['a name without its order', 'views.sql', GOOD, /is named NN-name\.sql/],
    ['a name in capitals', '01-Views.sql', GOOD, /is named NN-name\.sql/],
    ['no heading', '01-views.sql', GOOD.replace('-- Views: all of them.\n', ''), /starts with "-- <question>: <what it answers>"/],
    ['no parameters line', '01-views.sql', GOOD.replace(/-- Parameters:.*\n/, ''), /then a "-- Parameters:" line/],
    ['no partition filter', '01-views.sql', GOOD.replace(/WHERE .*\n/, ''), /filters on the partitions exactly once/],
    ['another parameter', '01-views.sql', `${GOOD}  AND action = ?\n`, /and has no other \?/],
    ['a semicolon', '01-views.sql', `${GOOD};\n`, /ends without a semicolon/],
  ])('a file with %s is refused, naming the file', (_what, file, text, message) => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'mysfits-queries-'));
    writeFileSync(join(dir, file), text);
    try {
      // Act / Assert
      expect(() => loadQueries(dir)).toThrow(message);
      expect(() => loadQueries(dir)).toThrow(`queries/${file}: `);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a good file: its name, heading, description and text', () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'mysfits-queries-'));
    writeFileSync(join(dir, '01-views.sql'), GOOD);
    writeFileSync(join(dir, 'README.md'), 'not a query');
    try {
      // Act
      const queries = loadQueries(dir);
      // Assert
      expect(queries).toEqual([
        { name: 'views', title: 'Views', description: 'Views: all of them. Parameters: 1. the first day, 2. the last day.', sql: GOOD },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // DuckDB-only (or Trino-only) constructs, kept out so that both engines run every file (docs/CLICKS-SQL.md).
  test.each(QUERIES.map((q) => [q.name, q.sql]))('%s uses only the SQL both engines run', (_name, sql) => {
    // Arrange
    const code = sql
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n');
    // Act / Assert
    expect(code).not.toMatch(
      /GROUP BY ALL|ORDER BY ALL|\bILIKE\b|::|\bQUALIFY\b|\bmedian\(|\bquantile|approx_percentile|\/\/|\bEXCLUDE\b|\bdate_diff\b|\bstrftime\b|\bdate_format\b|\bsequence\(|generate_series|"|;/i,
    );
    expect(code.match(/\?/g)).toHaveLength(2);
  });
});
