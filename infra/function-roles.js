'use strict';
/**
 * A small local Serverless plugin: one least-privilege IAM role per function, from the `iamRoleStatements` written
 * with the function in serverless.yml (the property serverless-iam-roles-per-function reads). Each role may write the
 * function's own log group and do exactly what its statements say; nothing is granted by hand elsewhere.
 * Why not serverless-iam-roles-per-function itself: its roles also allow logs:CreateLogGroup and name the log group
 * by a pattern, where these name the log group resource the framework creates, which is all a function needs.
 */
const LAMBDA_ASSUME_ROLE = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** What an X-Ray-traced function sends; X-Ray has no resource-level permissions, so the resource is '*'. */
const XRAY_STATEMENT = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' };

/** As the framework decides it: the function's own `tracing`, else `provider.tracing.lambda`. @param {any} service @param {any} fn */
const traced = (service, fn) => Boolean(fn.tracing || (service.provider.tracing && service.provider.tracing.lambda));

/** listMysfits -> list-mysfits @param {string} key */
const kebab = (key) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

class FunctionRoles {
  /** @param {any} serverless the Serverless instance */
  constructor(serverless) {
    this.serverless = serverless;
    serverless.configSchemaHandler.defineFunctionProperties('aws', {
      properties: { iamRoleStatements: { type: 'array', items: { type: 'object' } } },
    });
    // Before the framework sets up its own IAM: a function with no role would make it add its shared default role.
    this.hooks = { 'before:package:setupProviderConfiguration': () => this.addRoles() };
  }

  addRoles() {
    const { service } = this.serverless;
    const naming = this.serverless.getProvider('aws').naming;
    service.resources = service.resources || {};
    service.resources.Resources = service.resources.Resources || {};
    for (const key of service.getAllFunctions()) {
      const fn = service.getFunction(key);
      if (fn.role) throw new Error(`function-roles: ${key} names a role of its own; give it iamRoleStatements instead`);
      const name = naming.getNormalizedFunctionName(key);
      const roleId = `${name}Role`;
      if (service.resources.Resources[roleId]) throw new Error(`function-roles: serverless.yml already has a resource ${roleId}`);
      service.resources.Resources[roleId] = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: LAMBDA_ASSUME_ROLE,
          Policies: [
            {
              PolicyName: kebab(key),
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                    Resource: { 'Fn::GetAtt': [naming.getLogGroupLogicalId(key), 'Arn'] },
                  },
                  ...(traced(service, fn) ? [XRAY_STATEMENT] : []),
                  ...(fn.iamRoleStatements || []),
                ],
              },
            },
          ],
        },
      };
      fn.role = roleId;
    }
  }
}

module.exports = FunctionRoles;
