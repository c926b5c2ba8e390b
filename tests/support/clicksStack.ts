/** A deployed stage's stack as CloudFormation describes it to `npm run report -- --stage prod`: its clicks outputs. */
import type { DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';

export function clicksStack(extraOutputs: Array<{ OutputKey: string; OutputValue: string }> = []): Partial<DescribeStacksCommandOutput> {
  return {
    Stacks: [
      {
        StackName: 'mysfits-prod',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(),
        Outputs: [
          { OutputKey: 'ClicksDatabaseName', OutputValue: 'mysfits_prod_clicks' },
          { OutputKey: 'ClicksWorkGroupName', OutputValue: 'mysfits-prod-clicks' },
          ...extraOutputs,
        ],
      },
    ],
  };
}
