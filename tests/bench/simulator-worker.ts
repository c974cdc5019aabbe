/*
 * A RunSignUp simulator in its own process, so serving pages does not share the event loop with
 * the client being measured.  node --import tsx tests/bench/simulator-worker.ts <participants>
 */
import { startRunSignUpSimulator } from '../../src-main/simulators/runsignup.ts';
import { makeRunSignUpDataset } from '../../src-main/datasets/runsignup.ts';

const participants = Number(process.argv[2]);
const eventsPerRace = 4;
const sim = await startRunSignUpSimulator({
  dataset: makeRunSignUpDataset({ seed: 11, races: 1, eventsPerRace, participantsPerEvent: Math.ceil(participants / eventsPerRace) }),
});
process.stdout.write(`${sim.url}\n`);
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
