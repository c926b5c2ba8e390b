/** The password rules the register and reset forms check before anything is sent. */
import { passwordProblems, passwordRules, type PasswordPolicy } from '../../../web/src/passwordPolicy';

const POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: false,
};

test.each([
  ['Mysfits2026', []],
  ['mysfits2026', ['Password needs: an upper-case letter.']],
  ['MYSFITS2026', ['Password needs: a lower-case letter.']],
  ['Mysfitss', ['Password needs: a number.']],
  ['My2', ['Password needs: at least 8 characters.']],
])('%s: %j', (password, problems) => {
  expect(passwordProblems(password, password, POLICY)).toEqual(problems);
});

test('a confirmation that differs is a problem of its own', () => {
  expect(passwordProblems('Mysfits2026', 'Mysfits2027', POLICY)).toEqual(['The two passwords do not match.']);
});

test('rules follow the policy: symbols only when required', () => {
  expect(passwordRules('Mysfits2026', POLICY).map((r) => r.text)).not.toContain('A symbol');
  const strict = passwordRules('Mysfits2026', { ...POLICY, RequireSymbols: true });
  expect(strict.find((r) => r.text === 'A symbol')?.met).toBe(false);
  expect(passwordRules('Mysfits2026!', { ...POLICY, RequireSymbols: true }).every((r) => r.met)).toBe(true);
});
