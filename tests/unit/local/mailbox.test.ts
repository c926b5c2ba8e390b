/** local/mailbox.ts: the mailbox page in the site's look. */
import { mailboxPage } from '../../../local/mailbox';

const message = { time: '2026-12-03T09:00:00.000Z', address: 'ada@example.com', kind: 'sign-up' as const, code: '123456' };

test("the page links the site's stylesheet and has its header, with no style of its own (the CSP allows none inline)", () => {
  const page = mailboxPage([message], '/assets/styles.0123456789.css');
  expect(page).toContain('<link rel="stylesheet" href="/assets/styles.0123456789.css">');
  expect(page).toContain('<header class="site">');
  expect(page).not.toMatch(/<style|style="/);
  expect(page).toContain('<td class="code">123456</td>');
});

test('what a person typed is escaped', () => {
  expect(mailboxPage([{ ...message, address: '<script>x</script>@example.com' }])).toContain('&lt;script&gt;x&lt;/script&gt;@example.com');
});
