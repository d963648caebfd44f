// `skiff scheduler --kubeconfig F [--config C]`: the scheduler alone, as its own process.

import { parseArgs, flag, checkFlags } from './args.js';
import { RestClient } from '../client/index.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { loadSchedulerConfig } from '../scheduler/config.js';

export async function runScheduler(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  checkFlags(args, ['kubeconfig', 'config']);
  const kubeconfig = flag(args, 'kubeconfig', process.env.KUBECONFIG);
  if (!kubeconfig) throw new Error('skiff scheduler needs --kubeconfig (or KUBECONFIG)');
  const scheduler = new Scheduler({ client: new RestClient({ kubeconfig }, { component: 'scheduler' }), config: loadSchedulerConfig(flag(args, 'config')) });
  await scheduler.start();
  process.stdout.write(`Skiff scheduler running (${scheduler.identity})\n`);
  const stop = async () => {
    await scheduler.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
