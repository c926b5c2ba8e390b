/** The user pool's password policy, checked in the page so people see what is wrong before they submit. */

/** The user pool's policy, as serverless.yml's CognitoUserPool defines it. */
export interface PasswordPolicy {
  MinimumLength: number;
  RequireLowercase: boolean;
  RequireUppercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
}

export interface PasswordRule {
  text: string;
  met: boolean;
}

// Cognito's symbol set for password policies.
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/;

export function passwordRules(password: string, policy: PasswordPolicy): PasswordRule[] {
  const rules: PasswordRule[] = [{ text: `At least ${policy.MinimumLength} characters`, met: password.length >= policy.MinimumLength }];
  if (policy.RequireLowercase) rules.push({ text: 'A lower-case letter', met: /[a-z]/.test(password) });
  if (policy.RequireUppercase) rules.push({ text: 'An upper-case letter', met: /[A-Z]/.test(password) });
  if (policy.RequireNumbers) rules.push({ text: 'A number', met: /[0-9]/.test(password) });
  if (policy.RequireSymbols) rules.push({ text: 'A symbol', met: SYMBOLS.test(password) });
  return rules;
}

/** What is wrong with a new password and its confirmation, in words for the person; empty when all is well. */
export function passwordProblems(password: string, confirmation: string, policy: PasswordPolicy): string[] {
  const problems = passwordRules(password, policy)
    .filter((rule) => !rule.met)
    .map((rule) => `Password needs: ${rule.text.toLowerCase()}.`);
  if (password !== confirmation) problems.push('The two passwords do not match.');
  return problems;
}
