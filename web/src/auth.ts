/**
 * The person's Cognito session, through Amplify's auth (aws-amplify v6): sign up, confirm, resend the code, log in
 * (SRP, on every stage: the local Cognito does it too), forgotten password, log out (the refresh token revoked), and
 * an ID token that refreshes itself. The tokens live in sessionStorage: this tab's only, gone when it closes, and,
 * with the site's Content-Security-Policy, out of reach of any script but the site's own.
 */
import { Amplify } from 'aws-amplify';
import {
  confirmResetPassword,
  confirmSignUp,
  fetchAuthSession,
  resendSignUpCode,
  resetPassword,
  signIn,
  signOut,
  signUp,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { sessionStorage } from 'aws-amplify/utils';
import { CODE_REFUSED, SIGN_UP_REFUSED } from './messages';

/** What the session needs of the site's settings (SiteConfig, from config.json). */
export interface CognitoSettings {
  userPoolId: string;
  userPoolClientId: string;
  /** Only on the local stage (cognito-local); in AWS Amplify finds the regional endpoint from the pool id. */
  cognitoEndpoint?: string;
}

/** Cognito's error codes, in words a person can act on; anything else keeps Cognito's own message. */
const MESSAGES: Record<string, string> = {
  UsernameExistsException: 'An account with this email already exists. Log in, or use "Forgot password".',
  UserNotConfirmedException: 'This account is not confirmed yet: enter the code we emailed you.',
  NotAuthorizedException: 'Incorrect email or password.',
  UserNotFoundException: 'Incorrect email or password.',
  CodeMismatchException: 'That code is not right. Check the latest email, or send a new code.',
  ExpiredCodeException: 'That code has expired. Send a new code.',
  InvalidPasswordException: 'The password does not meet the rules.',
  LimitExceededException: 'Too many attempts. Wait a little, then try again.',
  TooManyRequestsException: 'Too many attempts. Wait a little, then try again.',
  InvalidParameterException: 'Some of the details are not valid.',
  // What Cognito answers for a call its web firewall (infra/waf.js) blocked: over the limit of this address, most likely.
  ForbiddenException: 'Too many attempts from your network. Wait a few minutes, then try again.',
};

/**
 * The refusals for load or rate: Cognito's own quotas and attempt limits, and its web firewall's block (the limit per
 * address on the calls that email a code: sign-up, a new code, a forgotten password).
 */
const REFUSED_FOR_RATE = new Set(['TooManyRequestsException', 'LimitExceededException', 'ForbiddenException']);

export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Amplify's errors carry Cognito's code as their name (its own checks have names of their own). */
function toAuthError(error: unknown): AuthError {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  const key = name ?? 'Error';
  if (key === 'NetworkError' || /network|fetch/i.test(message ?? '')) {
    return new AuthError(key, 'Cannot reach the sign-in service. Check your connection and try again.');
  }
  return new AuthError(key, MESSAGES[key] ?? message ?? 'Something went wrong with signing in.');
}

/** The call's error as an AuthError; one refused for rate says `refusedForRate` when given. */
async function asAuthError<T>(call: Promise<T>, refusedForRate?: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const refused = toAuthError(error);
    throw refusedForRate && REFUSED_FOR_RATE.has(refused.code) ? new AuthError(refused.code, refusedForRate) : refused;
  }
}

const normalised = (email: string) => email.trim().toLowerCase();

export class Auth {
  constructor(config: CognitoSettings) {
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: config.userPoolId,
          userPoolClientId: config.userPoolClientId,
          ...(config.cognitoEndpoint ? { userPoolEndpoint: config.cognitoEndpoint } : {}),
        },
      },
    });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(sessionStorage);
  }

  async signUp(email: string, password: string): Promise<void> {
    const username = normalised(email);
    await asAuthError(signUp({ username, password, options: { userAttributes: { email: username } } }), SIGN_UP_REFUSED);
  }

  async confirm(email: string, code: string): Promise<void> {
    await asAuthError(confirmSignUp({ username: normalised(email), confirmationCode: code.trim(), options: { forceAliasCreation: true } }));
  }

  async resendCode(email: string): Promise<void> {
    await asAuthError(resendSignUpCode({ username: normalised(email) }), CODE_REFUSED);
  }

  async logIn(email: string, password: string): Promise<void> {
    // The password never leaves the page: the same flow as in AWS, locally as well.
    const attempt = () => signIn({ username: normalised(email), password, options: { authFlowType: 'USER_SRP_AUTH' } });
    const result = await asAuthError(
      attempt().catch(async (error: unknown) => {
        // Amplify refuses a sign-in over another one; the site lets a person log in as someone else.
        if ((error as { name?: string }).name !== 'UserAlreadyAuthenticatedException') throw error;
        await signOut();
        return attempt();
      }),
    );
    // Amplify answers some refusals with a next step instead of an error.
    switch (result.nextStep.signInStep) {
      case 'DONE':
        return;
      case 'CONFIRM_SIGN_UP':
        throw new AuthError('UserNotConfirmedException', MESSAGES.UserNotConfirmedException as string);
      case 'RESET_PASSWORD':
      case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
        throw new AuthError('NewPasswordRequired', 'This account needs a new password: use "Forgot password".');
      default:
        throw new AuthError(result.nextStep.signInStep, 'Something went wrong with signing in.');
    }
  }

  async forgotPassword(email: string): Promise<void> {
    await asAuthError(resetPassword({ username: normalised(email) }), CODE_REFUSED);
  }

  async resetPassword(email: string, code: string, password: string): Promise<void> {
    await asAuthError(confirmResetPassword({ username: normalised(email), confirmationCode: code.trim(), newPassword: password }));
  }

  /** Revokes the refresh token with Cognito (RevokeToken), then forgets the tokens here, whether that worked or not. */
  async logOut(): Promise<void> {
    // Amplify's signOut revokes when the tokens carry origin_jti, and clears them even when revoking fails.
    await signOut().catch(() => undefined);
  }

  /** The ID token (refreshed by Amplify when it has expired, or forced to), or null when nobody is logged in. */
  private async idTokenOf(forceRefresh: boolean) {
    try {
      return (await fetchAuthSession({ forceRefresh })).tokens?.idToken ?? null;
    } catch {
      return null;
    }
  }

  async email(): Promise<string | null> {
    const email = (await this.idTokenOf(false))?.payload.email;
    return typeof email === 'string' ? email : null;
  }

  async idToken(): Promise<string | null> {
    return (await this.idTokenOf(false))?.toString() ?? null;
  }

  /** Forces new tokens with the refresh token (after the API refused the current ID token); null if that fails. */
  async refreshedIdToken(): Promise<string | null> {
    return (await this.idTokenOf(true))?.toString() ?? null;
  }
}
