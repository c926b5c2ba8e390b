/** Only the latest turn may act: the mechanism the website's router and its user refresh share. */
import { Latest } from '../../../web/src/latest';

test('a new turn ends the one before: it is no longer current and its signal is aborted', () => {
  const turns = new Latest();
  const first = turns.begin();
  expect(first.current).toBe(true);
  expect(first.signal.aborted).toBe(false);

  const second = turns.begin();

  expect(first.current).toBe(false);
  expect(first.signal.aborted).toBe(true);
  expect(second.current).toBe(true);
  expect(second.signal.aborted).toBe(false);
});

test('end() ends the current turn without starting another', () => {
  const turns = new Latest();
  const turn = turns.begin();
  turns.end();
  expect(turn.current).toBe(false);
  expect(turn.signal.aborted).toBe(true);
  expect(turns.begin().current).toBe(true);
});

test('a request made with a superseded turn is cancelled', async () => {
  const turns = new Latest();
  const turn = turns.begin();
  const cancelled = new Promise((resolve) => turn.signal.addEventListener('abort', resolve));
  turns.begin();
  await expect(cancelled).resolves.toBeDefined();
});
