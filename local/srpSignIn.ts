/**
 * USER_SRP_AUTH for the local Cognito: InitiateAuth answers the PASSWORD_VERIFIER challenge (SALT, SRP_B,
 * SECRET_BLOCK, USER_ID_FOR_SRP, USERNAME) and RespondToAuthChallenge checks the client's signature (srp.ts), then
 * gives the same tokens USER_PASSWORD_AUTH gives. cognito-local keeps each user's password, so the verifier is
 * derived per challenge. Refusals are Cognito's: NotAuthorizedException "Incorrect username or password." for a
 * wrong password, a tampered, reused, foreign or expired claim, a malformed timestamp or SRP_A, and an unknown user
 * alike (the app client has PreventUserExistenceErrors: an unknown user gets a challenge like anyone else's);
 * UserNotConfirmedException once the password is proven for an unconfirmed user.
 */
import { randomBytes } from 'node:crypto';
import { InvalidParameterError, NotAuthorizedError, PasswordResetRequiredError, UserNotConfirmedException } from './cognitoLocalInternals';
import {
  claimSignature,
  parseA,
  parseTimestamp,
  poolName,
  serverChallenge,
  serverKey,
  signatureMatches,
  type ServerChallenge,
} from './srp';

/** What the sign-in needs of the user store (cognito-local's, in cognito.ts). */
export interface SrpUsers {
  /** The pool the app client belongs to (throws as Cognito does for an unknown client). */
  poolIdFor(clientId: string): Promise<string>;
  /** The user by the name they sign in with (email) or their user id; undefined when there is none. */
  find(clientId: string, username: string): Promise<{ Username: string; Password: string; UserStatus?: string } | undefined>;
  /** The tokens (and the refresh token stored) for a user who proved the password. */
  tokens(clientId: string, userId: string): Promise<Record<string, unknown>>;
}

interface Pending {
  clientId: string;
  pool: string;
  userId: string;
  /** False for an unknown user: the challenge looks the same, and no answer passes. */
  known: boolean;
  A: bigint;
  challenge: ServerChallenge;
  expiresAt: number;
}

const refused = () => new NotAuthorizedError('Incorrect username or password.');

export interface SrpOptions {
  now?: () => number;
  /** How long a challenge can be answered (Cognito's session lasts about three minutes). */
  challengeTtlMs?: number;
  /** At most this many open challenges: the oldest go first. */
  maxPending?: number;
}

export class SrpSignIn {
  private readonly pending = new Map<string, Pending>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly users: SrpUsers,
    options: SrpOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.challengeTtlMs ?? 180_000;
    this.maxPending = options.maxPending ?? 10_000;
  }

  async initiate(request: { ClientId: string; AuthParameters?: Record<string, string> }) {
    const username = request.AuthParameters?.USERNAME;
    if (!username) throw new InvalidParameterError('Missing required parameter USERNAME');
    if (request.AuthParameters?.SRP_A === undefined) throw new InvalidParameterError('Missing required parameter SRP_A');
    const pool = poolName(await this.users.poolIdFor(request.ClientId));
    // Its size is checked before it is read as a number: an SRP_A of a million digits costs nothing.
    const A = parseA(request.AuthParameters.SRP_A);
    if (A === undefined) throw refused();

    const user = await this.users.find(request.ClientId, username);
    if (user?.UserStatus === 'RESET_REQUIRED') throw new PasswordResetRequiredError();
    const userId = user?.Username ?? username;
    // An unknown user is challenged with a password nobody has.
    const challenge = serverChallenge(pool, userId, user?.Password ?? randomBytes(32).toString('hex'));
    const secretBlock = randomBytes(64).toString('base64');
    this.forgetExpired();
    this.pending.set(secretBlock, {
      clientId: request.ClientId,
      pool,
      userId,
      known: Boolean(user),
      A,
      challenge,
      expiresAt: this.now() + this.ttlMs,
    });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: challenge.salt,
        SRP_B: challenge.B,
        SECRET_BLOCK: secretBlock,
        USER_ID_FOR_SRP: userId,
        USERNAME: userId,
      },
    };
  }

  async respond(request: { ClientId: string; ChallengeResponses?: Record<string, string> }) {
    const responses = request.ChallengeResponses ?? {};
    const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK;
    if (!responses.USERNAME) throw new InvalidParameterError('Missing required parameter USERNAME');
    const pending = secretBlock === undefined ? undefined : this.pending.get(secretBlock);
    // One answer per challenge, right or wrong: a signature can never be replayed.
    if (secretBlock !== undefined) this.pending.delete(secretBlock);
    if (!pending || !secretBlock || pending.clientId !== request.ClientId || pending.expiresAt < this.now()) throw refused();
    if (responses.USERNAME !== pending.userId || parseTimestamp(responses.TIMESTAMP) === undefined) throw refused();

    const key = serverKey(pending.A, pending.challenge);
    const expected = key && claimSignature(key, pending.pool, pending.userId, secretBlock, String(responses.TIMESTAMP));
    if (!expected || !signatureMatches(expected, responses.PASSWORD_CLAIM_SIGNATURE) || !pending.known) throw refused();

    const user = await this.users.find(request.ClientId, pending.userId);
    if (!user) throw refused();
    if (user.UserStatus === 'UNCONFIRMED') throw new UserNotConfirmedException();
    return { ChallengeParameters: {}, AuthenticationResult: await this.users.tokens(request.ClientId, user.Username) };
  }

  /** Open challenges (for tests: an answered or expired one is gone). */
  get openChallenges(): number {
    return this.pending.size;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [block, entry] of this.pending) if (entry.expiresAt < now) this.pending.delete(block);
    // Map keeps insertion order: the first keys are the oldest.
    for (const block of this.pending.keys()) {
      if (this.pending.size < this.maxPending) break;
      this.pending.delete(block);
    }
  }
}
