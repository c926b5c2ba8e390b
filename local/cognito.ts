/**
 * cognito-local, run in-process on 127.0.0.1 with the additions the project needs: every code it would email is
 * put in the local mailbox, ResendConfirmationCode and GetTokensFromRefreshToken (which cognito-local lacks) are
 * implemented, and so is the SRP sign-in (USER_SRP_AUTH and its PASSWORD_VERIFIER challenge, srpSignIn.ts) that the
 * website uses in AWS, and the tokens carry origin_jti, as Cognito's do for a client with token revocation, so that
 * signing out revokes.
 * Tokens last as long as the app client says (IdTokenValidity and the rest, which cognito-local reads from the client
 * local/userPool.ts makes from resources/users.yml): 15 minutes, as in AWS.
 * Built from cognito-local's own parts, as its createDefaultServer does (cognitoLocalInternals.ts: the one module that
 * reaches into it).
 */
import { createSign, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { localUrl } from '../dev/ports';
import { InvalidParameterError, JwtTokenGenerator, serverParts, signingKey, UserNotFoundError } from './cognitoLocalInternals';
import { kindOf, type Mailbox } from './mailbox';
import { SrpSignIn } from './srpSignIn';

const {
  ConsoleMessageSender,
  CognitoServiceFactoryImpl,
  createServer,
  DateClock,
  DefaultConfig,
  LambdaService,
  MessageDeliveryService,
  MessagesService,
  otp,
  Router,
  selectAppropriateDeliveryMethod,
  StormDBDataStoreFactory,
  Targets,
  TriggersService,
  UserPoolServiceFactoryImpl,
} = serverParts();

export interface CognitoLocal {
  endpoint: string;
  stop(): Promise<void>;
}

type Services = Parameters<typeof Router>[0];

/**
 * cognito-local encrypts codes with KMS only for a CustomEmailSender trigger, which the local pool has not; its KMS
 * service would load the AWS SDK v2 and the encryption SDK (a third of the thread's start) for nothing.
 */
const noKms = {
  encrypt: () => Promise.reject(new Error('The local Cognito has no KMS (no CustomEmailSender trigger is configured).')),
} as unknown as ConstructorParameters<typeof TriggersService>[3];

/** ResendConfirmationCode: a new code for an unconfirmed user, delivered like the sign-up one. */
const ResendConfirmationCode =
  ({ cognito, messages, clock }: Services) =>
  async (
    ctx: Parameters<ReturnType<(typeof Targets)['SignUp']>>[0],
    req: { ClientId: string; Username: string; ClientMetadata?: Record<string, string> },
  ) => {
    const userPool = await cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = await userPool.getUserByUsername(ctx, req.Username);
    if (!user) throw new UserNotFoundError();
    if (user.UserStatus !== 'UNCONFIRMED') throw new InvalidParameterError('User is already confirmed.');
    const deliveryDetails = selectAppropriateDeliveryMethod(userPool.options.AutoVerifiedAttributes ?? [], user);
    if (!deliveryDetails) throw new InvalidParameterError('User has no attribute matching desired auto verified attributes');
    const code = otp();
    await messages.deliver(ctx, 'ResendCode' as never, req.ClientId, userPool.options.Id, user, code, req.ClientMetadata, deliveryDetails);
    await userPool.saveUser(ctx, { ...user, ConfirmationCode: code, UserLastModifiedDate: clock.get() });
    return { CodeDeliveryDetails: deliveryDetails };
  };

/** The token with `claims` added, signed again with cognito-local's key (the header, key id included, kept). */
function withClaims(token: string, claims: Record<string, unknown>): string {
  const [header = '', payload = ''] = token.split('.');
  const body = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), ...claims })).toString(
    'base64url',
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(signingKey.pem).toString('base64url');
  return `${header}.${body}.${signature}`;
}

/**
 * Cognito puts origin_jti in the access and ID tokens of an app client with EnableTokenRevocation, and
 * amazon-cognito-identity-js's signOut revokes the refresh token only when it is there; cognito-local leaves it out.
 */
function addOriginJti(generator: JwtTokenGenerator): JwtTokenGenerator {
  const generate = generator.generate.bind(generator);
  generator.generate = async (...args: Parameters<JwtTokenGenerator['generate']>) => {
    const tokens = await generate(...args);
    if (!args[3].EnableTokenRevocation) return tokens;
    const origin = { origin_jti: randomUUID() };
    return { ...tokens, AccessToken: withClaims(tokens.AccessToken, origin), IdToken: withClaims(tokens.IdToken, origin) };
  };
  return generator;
}

type Target = (services: Services) => (ctx: { logger: unknown }, req: Record<string, unknown>) => Promise<unknown>;
const targets = Targets as unknown as Record<string, Target>;
const cognitoLocalTargets = {
  InitiateAuth: targets.InitiateAuth as Target,
  RespondToAuthChallenge: targets.RespondToAuthChallenge as Target,
};

/**
 * GetTokensFromRefreshToken, which the website's client (Amplify) refreshes with: cognito-local's REFRESH_TOKEN_AUTH,
 * answered as Cognito answers it for a client without refresh token rotation (no new refresh token). A revoked or
 * unknown refresh token is NotAuthorizedException, as there.
 */
const GetTokensFromRefreshToken: Target = (services) => {
  const initiate = cognitoLocalTargets.InitiateAuth(services);
  return async (ctx, req) => {
    if (typeof req.RefreshToken !== 'string' || !req.RefreshToken)
      throw new InvalidParameterError('Missing required parameter RefreshToken');
    const { AuthenticationResult } = (await initiate(ctx, {
      ClientId: req.ClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: req.RefreshToken },
    })) as { AuthenticationResult: Record<string, unknown> };
    return { AuthenticationResult: { AccessToken: AuthenticationResult.AccessToken, IdToken: AuthenticationResult.IdToken } };
  };
};

/** One SRP sign-in (with its open challenges) per running server, found from the services cognito-local hands a target. */
const srpByServices = new WeakMap<object, SrpSignIn>();

function srpSignIn(services: Services): SrpSignIn {
  let srp = srpByServices.get(services);
  if (!srp) {
    const ctx = { logger: pino({ level: 'silent' }) };
    srp = new SrpSignIn({
      poolIdFor: async (clientId) => (await services.cognito.getUserPoolForClientId(ctx, clientId)).options.Id,
      find: async (clientId, username) =>
        (await services.cognito.getUserPoolForClientId(ctx, clientId)).getUserByUsername(ctx, username) as never,
      tokens: async (clientId, userId) => {
        const userPool = await services.cognito.getUserPoolForClientId(ctx, clientId);
        const appClient = await services.cognito.getAppClient(ctx, clientId);
        const user = await userPool.getUserByUsername(ctx, userId);
        if (!user || !appClient) throw new UserNotFoundError();
        const groups = await userPool.listUserGroupMembership(ctx, user);
        const tokens = await services.tokenGenerator.generate(ctx, user, groups, appClient, undefined, 'Authentication');
        await userPool.storeRefreshToken(ctx, tokens.RefreshToken, user);
        return tokens as unknown as Record<string, unknown>;
      },
    });
    srpByServices.set(services, srp);
  }
  return srp;
}

/** InitiateAuth and RespondToAuthChallenge: the SRP flow here, everything else as cognito-local does it. */
function withSrp(): void {
  targets.InitiateAuth = (services) => {
    const original = cognitoLocalTargets.InitiateAuth(services);
    return (ctx, req) => (req.AuthFlow === 'USER_SRP_AUTH' ? srpSignIn(services).initiate(req as never) : original(ctx, req));
  };
  targets.RespondToAuthChallenge = (services) => {
    const original = cognitoLocalTargets.RespondToAuthChallenge(services);
    return (ctx, req) => (req.ChallengeName === 'PASSWORD_VERIFIER' ? srpSignIn(services).respond(req as never) : original(ctx, req));
  };
}

/** Where the codes go: the mailbox, or (in cognitoThread.ts's worker) a message to the thread that holds it. */
export interface CodeRecorder {
  record(message: Parameters<Mailbox['record']>[0]): unknown;
}

export interface CognitoLocalOptions {
  port: number;
  dataDir: string;
  mailbox: CodeRecorder;
  quiet?: boolean;
}

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const dataDirectory = join(options.dataDir, 'db');
  mkdirSync(dataDirectory, { recursive: true });
  const logger = pino({ level: options.quiet ? 'warn' : 'info', base: undefined });
  const ctx = { logger };
  const endpoint = localUrl(options.port);
  const config = {
    ...DefaultConfig,
    TokenConfig: { IssuerDomain: endpoint },
    ServerConfig: { ...DefaultConfig.ServerConfig, hostname: '127.0.0.1', port: options.port },
  };

  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
  const cognito = await new CognitoServiceFactoryImpl(
    dataDirectory,
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, config.UserPoolDefaults);
  const triggers = new TriggersService(
    clock,
    cognito, // No Lambda triggers are configured, so the trigger service never calls its Lambda client.
    new LambdaService(config.TriggerFunctions, {} as never),
    noKms,
  );

  const messages = new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender()));
  const deliver = messages.deliver.bind(messages);
  messages.deliver = async (ctx, source, clientId, userPoolId, user, code, clientMetadata, deliveryDetails) => {
    // Recorded before cognito-local answers, so a code is in the mailbox when the sign-up returns.
    await options.mailbox.record({ address: deliveryDetails.Destination ?? user.Username, kind: kindOf(source), code });
    return deliver(ctx, source, clientId, userPoolId, user, code, clientMetadata, deliveryDetails);
  };

  const services = {
    clock,
    cognito,
    config,
    messages,
    otp,
    tokenGenerator: addOriginJti(new JwtTokenGenerator(clock, triggers, config.TokenConfig)),
    triggers,
  };
  (Targets as Record<string, unknown>).ResendConfirmationCode = ResendConfirmationCode;
  targets.GetTokensFromRefreshToken = GetTokensFromRefreshToken;
  withSrp();
  const server = await createServer(Router(services), logger, config.ServerConfig, services).start();
  return {
    endpoint,
    stop: () => new Promise<void>((resolve) => (server as unknown as Server).close(() => resolve())),
  };
}
