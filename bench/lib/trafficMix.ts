/**
 * The traffic mix of docs/CAPACITY.md, the one definition: what share of requests each kind of visit makes. The
 * capacity model scales it to 1,000, 10,000 and 100,000 requests a second; the bench's mix part (bench/mix.ts)
 * drives the local system with it.
 */
export type VisitKind = 'browse' | 'profile' | 'like' | 'adopt' | 'signUp' | 'signIn';

export interface Visit {
  kind: VisitKind;
  /** The request it makes (a like alternates POST and DELETE; sign-up and sign-in go to Cognito). */
  request: string;
  /** Share of all requests, 0..1. */
  share: number;
}

export const TRAFFIC_MIX: readonly Visit[] = [
  { kind: 'browse', request: 'GET /mysfits', share: 0.6 },
  { kind: 'profile', request: 'GET /mysfits/{mysfitId}', share: 0.25 },
  { kind: 'like', request: 'POST or DELETE /mysfits/{mysfitId}/like', share: 0.1 },
  { kind: 'adopt', request: 'POST /mysfits/{mysfitId}/adopt', share: 0.01 },
  { kind: 'signIn', request: 'Cognito InitiateAuth + RespondToAuthChallenge (SRP)', share: 0.03 },
  { kind: 'signUp', request: 'Cognito SignUp + ConfirmSignUp', share: 0.01 },
];
