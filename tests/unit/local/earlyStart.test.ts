/**
 * local/earlyStart.ts guesses from the command line, before the Framework has parsed it, whether to start DynamoDB
 * Local at once: only `serverless offline [start]` on the local stage. (Its start and stop with a real JVM: the stack
 * tier's start-up and environment tests.)
 */
import { commandLine } from '../../../local/earlyStart';

test.each([
  { argv: ['offline'], commands: ['offline'], stage: undefined },
  { argv: ['offline', 'start', '--noTimeout'], commands: ['offline', 'start'], stage: undefined },
  { argv: ['offline', '--stage', 'local'], commands: ['offline'], stage: 'local' },
  { argv: ['offline', '-s', 'prod', '--httpPort', '3000'], commands: ['offline'], stage: 'prod' },
  { argv: ['offline', '--stage=dev'], commands: ['offline'], stage: 'dev' },
  { argv: ['invoke', 'local', '-f', 'getMysfit'], commands: ['invoke', 'local'], stage: undefined },
  { argv: ['print'], commands: ['print'], stage: undefined },
  { argv: ['--stage', 'local', 'offline'], commands: [], stage: 'local' },
])('$argv: commands $commands, stage $stage', ({ argv, commands, stage }) => {
  expect(commandLine(argv)).toEqual({ commands, stage });
});
