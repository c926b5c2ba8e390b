/**
 * The person's Cognito session, through amazon-cognito-identity-js: sign up, confirm, resend the code, log in (SRP,
 * on every stage: the local Cognito does it too), forgotten password, log out (the refresh token revoked), and an ID
 * token that refreshes itself. The tokens live in sessionStorage: this tab's only, gone when it closes, and, with
 * the site's Content-Security-Policy, out of reach of any script but the site's own.
 */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import type { SiteConfig } from './config';

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
};

export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function toAuthError(error: unknown): AuthError {
  const { code, name, message } = (error ?? {}) as { code?: string; name?: string; message?: string };
  const key = code ?? name ?? 'Error';
  if (key === 'NetworkError' || /network|fetch/i.test(message ?? '')) {
    return new AuthError(key, 'Cannot reach the sign-in service. Check your connection and try again.');
  }
  return new AuthError(key, MESSAGES[key] ?? message ?? 'Something went wrong with signing in.');
}

function callback<T>(resolve: (value: T) => void, reject: (error: AuthError) => void) {
  return (error: unknown, result?: T) => (error ? reject(toAuthError(error)) : resolve(result as T));
}

export class Auth {
  private readonly pool: CognitoUserPool;

  constructor(private readonly config: SiteConfig) {
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.userPoolClientId,
      Storage: window.sessionStorage,
      ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}),
    });
  }

  private user(email: string): CognitoUser {
    const user = new CognitoUser({ Username: email.trim().toLowerCase(), Pool: this.pool, Storage: window.sessionStorage });
    // The password never leaves the page: the same flow as in AWS, locally as well.
    user.setAuthenticationFlowType('USER_SRP_AUTH');
    return user;
  }

  signUp(email: string, password: string): Promise<void> {
    const address = email.trim().toLowerCase();
    return new Promise((resolve, reject) =>
      this.pool.signUp(
        address,
        password,
        [new CognitoUserAttribute({ Name: 'email', Value: address })],
        [],
        callback(() => resolve(), reject),
      ),
    );
  }

  confirm(email: string, code: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.user(email).confirmRegistration(
        code.trim(),
        true,
        callback(() => resolve(), reject),
      ),
    );
  }

  resendCode(email: string): Promise<void> {
    return new Promise((resolve, reject) => this.user(email).resendConfirmationCode(callback(() => resolve(), reject)));
  }

  logIn(email: string, password: string): Promise<void> {
    const user = this.user(email);
    const details = new AuthenticationDetails({ Username: email.trim().toLowerCase(), Password: password });
    return new Promise((resolve, reject) =>
      user.authenticateUser(details, {
        onSuccess: () => resolve(),
        onFailure: (error: unknown) => reject(toAuthError(error)),
        newPasswordRequired: () =>
          reject(new AuthError('NewPasswordRequired', 'This account needs a new password: use "Forgot password".')),
      }),
    );
  }

  forgotPassword(email: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.user(email).forgotPassword({
        onSuccess: () => resolve(),
        onFailure: (error: unknown) => reject(toAuthError(error)),
        inputVerificationCode: () => resolve(),
      }),
    );
  }

  resetPassword(email: string, code: string, password: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.user(email).confirmPassword(code.trim(), password, {
        onSuccess: () => resolve(),
        onFailure: (error: unknown) => reject(toAuthError(error)),
      }),
    );
  }

  /** Revokes the refresh token with Cognito (RevokeToken), then forgets the tokens here, whether that worked or not. */
  logOut(): Promise<void> {
    const user = this.pool.getCurrentUser();
    if (!user) return Promise.resolve();
    return new Promise((resolve) =>
      user.signOut(() => {
        // signOut clears the tokens after revoking, but not when the session could not even be read: clear anyway.
        user.signOut();
        resolve();
      }),
    );
  }

  /** The current session (refreshed by the SDK when its tokens have expired), or null when nobody is logged in. */
  private session(): Promise<CognitoUserSession | null> {
    const user = this.pool.getCurrentUser();
    if (!user) return Promise.resolve(null);
    return new Promise((resolve) =>
      user.getSession((error: unknown, session: CognitoUserSession | null) => resolve(error || !session?.isValid() ? null : session)),
    );
  }

  async email(): Promise<string | null> {
    const session = await this.session();
    const email = session?.getIdToken().payload.email;
    return typeof email === 'string' ? email : null;
  }

  async idToken(): Promise<string | null> {
    return (await this.session())?.getIdToken().getJwtToken() ?? null;
  }

  /** Forces new tokens with the refresh token (after the API refused the current ID token); null if that fails. */
  async refreshedIdToken(): Promise<string | null> {
    const user = this.pool.getCurrentUser();
    const session = await this.session();
    if (!user || !session) return null;
    return new Promise((resolve) =>
      user.refreshSession(session.getRefreshToken(), (error: unknown, fresh: CognitoUserSession | null) =>
        resolve(error || !fresh ? null : fresh.getIdToken().getJwtToken()),
      ),
    );
  }
}
