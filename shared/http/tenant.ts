import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * The school a request acts for. Until staff sign-in exists every request uses the configured
 * default school (DESIGN §3); never the request body, so a client cannot pick a tenant.
 */
export function schoolOf(_event: APIGatewayProxyEventV2, defaultSchoolId: string): string {
  return defaultSchoolId;
}
