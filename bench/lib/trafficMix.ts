/** docs/CAPACITY.md's traffic mix, its one definition (a unit test holds the document to it); the mix part drives the local system. */
export type VisitKind = 'browse' | 'profile' | 'like' | 'adopt' | 'signUp' | 'signIn';

/** Each kind of visit, the request it makes (a like alternates POST and DELETE), and its share of all requests (0..1). */
export const TRAFFIC_MIX: ReadonlyArray<{ kind: VisitKind; request: string; share: number }> = [
  { kind: 'browse', request: 'GET /mysfits', share: 0.6 },
  { kind: 'profile', request: 'GET /mysfits/{mysfitId}', share: 0.25 },
  { kind: 'like', request: 'POST or DELETE /mysfits/{mysfitId}/like', share: 0.1 },
  { kind: 'adopt', request: 'POST /mysfits/{mysfitId}/adopt', share: 0.01 },
  { kind: 'signIn', request: 'Cognito InitiateAuth + RespondToAuthChallenge (SRP)', share: 0.03 },
  { kind: 'signUp', request: 'Cognito SignUp + ConfirmSignUp', share: 0.01 },
];
