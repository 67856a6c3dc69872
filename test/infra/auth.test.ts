import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppHttpApi } from '../../infra/constructs/http-api';
import { staffPoolDefinition } from '../../shared/definitions/staff-pool-definition';
import { inspect, type Json } from './inspect';
import { synthesize } from './synth';

let template: Template;
let built: ReturnType<typeof synthesize>['stack'];
let look: ReturnType<typeof inspect>;

const ref = (construct: Parameters<typeof look.logicalId>[0]) => ({ Ref: look.logicalId(construct) });

beforeAll(() => {
  const synthesized = synthesize();
  template = synthesized.template;
  built = synthesized.stack;
  look = inspect(built, template);
});

describe('staff user pool', () => {
  it('follows the shared pool definition: admin-created users, its password policy', () => {
    const { passwordPolicy } = staffPoolDefinition;
    expect(look.resource(built.staffPool.userPool)).toMatchObject({
      Properties: {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: !staffPoolDefinition.selfSignUpEnabled },
        Policies: {
          PasswordPolicy: {
            MinimumLength: passwordPolicy.minLength,
            RequireLowercase: passwordPolicy.requireLowercase,
            RequireUppercase: passwordPolicy.requireUppercase,
            RequireNumbers: passwordPolicy.requireDigits,
            RequireSymbols: passwordPolicy.requireSymbols,
            TemporaryPasswordValidityDays: passwordPolicy.temporaryPasswordValidityDays,
          },
        },
        DeletionProtection: 'ACTIVE',
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('signs staff in with their email, which is required, case-insensitively', () => {
    const properties = look.resource(built.staffPool.userPool).Properties;
    expect(staffPoolDefinition.signInWithEmail).toBe(true);
    expect(properties.UsernameAttributes).toEqual(['email']);
    expect(properties.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(properties.Schema).toContainEqual({ Name: 'email', Required: true, Mutable: true });
    expect(properties.AccountRecoverySetting.RecoveryMechanisms).toEqual([
      { Name: 'verified_email', Priority: 1 },
    ]);
  });

  it('carries the school in an immutable custom attribute of 1 to 64 characters', () => {
    expect(staffPoolDefinition.schoolClaim).toBe(`custom:${staffPoolDefinition.schoolAttribute}`);
    expect(look.resource(built.staffPool.userPool).Properties.Schema).toContainEqual({
      Name: staffPoolDefinition.schoolAttribute,
      AttributeDataType: 'String',
      Mutable: false,
      StringAttributeConstraints: { MinLength: '1', MaxLength: '64' },
    });
  });

  it('has the admin group', () => {
    expect(look.resource(built.staffPool.adminGroup).Properties).toMatchObject({
      GroupName: staffPoolDefinition.adminGroup,
      UserPoolId: ref(built.staffPool.userPool),
    });
  });

  it('has a public console client with the defined auth flows, ID token validity and no OAuth', () => {
    const { client } = staffPoolDefinition;
    const properties = look.resource(built.staffPool.client).Properties;
    expect(properties).toMatchObject({
      UserPoolId: ref(built.staffPool.userPool),
      GenerateSecret: client.generateSecret,
      IdTokenValidity: client.idTokenValidityMinutes,
      TokenValidityUnits: { IdToken: 'minutes' },
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect([...properties.ExplicitAuthFlows].sort()).toEqual([...client.authFlows].sort());
    // Default attribute permissions: all readable (the school reaches the ID token), custom ones not writable.
    expect(properties.ReadAttributes).toBeUndefined();
    expect(properties.WriteAttributes).toBeUndefined();
  });

  it('outputs the pool and client ids', () => {
    template.hasOutput('StaffUserPoolId', { Value: ref(built.staffPool.userPool) });
    template.hasOutput('StaffUserPoolClientId', { Value: ref(built.staffPool.client) });
  });
});

describe('JWT authorizer', () => {
  let authorizer: Json;
  beforeAll(() => {
    // Two: the staff one here, and the parent portal's (stack.test.ts checks which route has which).
    const authorizers = look.ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers.map(([, resource]) => resource.Properties.Name).sort()).toEqual([
      'ParentJwt',
      'StaffJwt',
    ]);
    authorizer = authorizers.find(([, resource]) => resource.Properties.Name === 'StaffJwt')?.[1];
  });

  it('trusts the staff pool as issuer', () => {
    expect(authorizer.Properties).toMatchObject({
      ApiId: ref(built.api.httpApi),
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
    expect(authorizer.Properties.JwtConfiguration.Issuer).toEqual({
      'Fn::Join': [
        '',
        [
          'https://cognito-idp.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/',
          ref(built.staffPool.userPool),
        ],
      ],
    });
  });

  it("takes ID tokens of the console client only (their aud is the client's id)", () => {
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([ref(built.staffPool.client)]);
  });
});

describe('public routes', () => {
  function apiStack(publicRoutes: string[]) {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Routes');
    const api = new AppHttpApi(stack, 'Api', { authorizer: new HttpNoneAuthorizer(), publicRoutes });
    const handler = new LambdaFunction(stack, 'Handler', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => ({});'),
    });
    api.addFunctionRoutes('Handler', handler, ['GET /health', 'GET /students']);
    return app;
  }

  it('must be routes of the API, so a typo fails synth instead of leaving nothing public', () => {
    expect(() => apiStack(['GET /healht']).synth()).toThrow(/Public route "GET \/healht" is not a route/);
    expect(() => apiStack(['GET /health']).synth()).not.toThrow();
  });
});
