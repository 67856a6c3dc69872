import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../infra/settings';
import { synthesize } from './synth';

const WABA = 'waba-0123456789abcdef0123456789abcdef';

function customResources(context: Record<string, unknown>) {
  const { template, stack } = synthesize({ context });
  return { template, stack, resources: Object.values(template.findResources('Custom::AWS')) };
}

describe('WhatsApp event destination', () => {
  it('points the configured business account at the delivery-events topic, and at nothing when the stack goes', () => {
    const { resources, stack, template } = customResources({ whatsappBusinessAccountId: WABA });
    expect(resources).toHaveLength(1);
    const properties = (resources[0]?.Properties ?? {}) as Record<string, unknown>;
    const topic = JSON.stringify({
      Ref: stack.getLogicalId(stack.deliveryEvents.topic.node.defaultChild as never),
    });
    for (const call of ['Create', 'Update']) {
      const json = JSON.stringify(properties[call]);
      expect(json).toContain('PutWhatsAppBusinessAccountEventDestinations');
      expect(json).toContain(WABA);
      expect(json).toContain(topic);
    }
    expect(JSON.parse(String(properties.Delete))).toMatchObject({
      action: 'PutWhatsAppBusinessAccountEventDestinations',
      parameters: { id: WABA, eventDestinations: [] },
    });

    // Least privilege: the one call, on the one account, nothing on "*".
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: unknown[] } }).PolicyDocument.Statement,
    ) as { Action: string | string[]; Resource: unknown }[];
    const granting = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('social-messaging:Put')),
    );
    expect(granting).toHaveLength(1);
    expect(granting[0]?.Action).toBe('social-messaging:PutWhatsAppBusinessAccountEventDestinations');
    expect(JSON.stringify(granting[0]?.Resource)).toMatch(
      /social-messaging:.*waba\/0123456789abcdef0123456789abcdef"/,
    );
  });

  it('is left to the operator when no business account is configured', () => {
    expect(customResources({}).resources).toHaveLength(0);
  });

  it('refuses an id that is not a business account id, naming the setting', () => {
    const parsed = settingsSchema.safeParse({ whatsappBusinessAccountId: 'phone-number-id-0123' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['whatsappBusinessAccountId']);
  });
});
