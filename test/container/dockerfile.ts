import { DockerfileParser, type Instruction } from 'dockerfile-ast';

/**
 * The Dockerfile as a plan of stages, for what this machine can do with it
 * without a container runtime: check what it says (test/platform/container.test.ts)
 * and carry out its stages and its command outside a container (./run.ts).
 * Only the instructions Duxue's Dockerfile uses are understood; any other
 * one is refused rather than skipped.
 */
export type Step =
  | { kind: 'copy'; from: string | null; chown: string | null; sources: string[]; dest: string; workdir: string }
  | { kind: 'run'; command: string; workdir: string; env: Record<string, string> };

export interface Stage {
  /** `AS name`, or its index for an unnamed stage. */
  name: string;
  /** An image (`node:20-slim`) or an earlier stage it starts from. */
  from: { image: string } | { stage: string };
  workdir: string;
  env: Record<string, string>;
  steps: Step[];
  user: string | null;
  expose: string[];
  volumes: string[];
  cmd: string[] | null;
  healthcheck: { cmd: string[]; options: Record<string, string> } | null;
}

const flagsOf = (i: Instruction) =>
  Object.fromEntries(
    ((i as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags?.() ?? []).map((f) => [f.getName(), f.getValue() ?? '']),
  );
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
/** The exec form's array (`["node", "dist/node.js"]`): the JSON from the first `[` on, after any options. */
function execForm(i: Instruction): string[] {
  const raw = (i.getRawArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ');
  const parsed = JSON.parse(raw.slice(raw.indexOf('['))) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string'))
    throw new Error(`${i.getKeyword()}: only the exec form (a JSON array) is understood`);
  return parsed;
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let stage: Stage | null = null;
  for (const i of DockerfileParser.parse(text).getInstructions()) {
    const keyword = i.getKeyword();
    if (keyword === 'FROM') {
      const a = args(i);
      const base = stages.find((s) => s.name === a[0]);
      const name = a[1]?.toUpperCase() === 'AS' ? a[2]! : String(stages.length);
      stage = base
        ? { ...structuredClone(base), name, from: { stage: base.name }, steps: [] }
        : { name, from: { image: a[0]! }, workdir: '/', env: {}, steps: [], user: null, expose: [], volumes: [], cmd: null, healthcheck: null };
      stages.push(stage);
      continue;
    }
    if (!stage) throw new Error(`${keyword} before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = args(i)[0]!;
        break;
      case 'ENV':
        for (const p of (i as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties())
          stage.env[p.getName()] = p.getValue() ?? '';
        break;
      case 'COPY': {
        const flags = flagsOf(i);
        const paths = args(i).filter((a) => !a.startsWith('--'));
        stage.steps.push({
          kind: 'copy',
          from: flags.from ?? null,
          chown: flags.chown ?? null,
          sources: paths.slice(0, -1),
          dest: paths.at(-1)!,
          workdir: stage.workdir,
        });
        break;
      }
      case 'RUN':
        stage.steps.push({
          kind: 'run',
          command: (i.getRawArgumentsContent() ?? '')
            .replace(/\\\r?\n/g, ' ')
            .replace(/\s+/g, ' ')
            .trim(),
          workdir: stage.workdir,
          env: { ...stage.env },
        });
        break;
      case 'USER':
        stage.user = args(i)[0]!;
        break;
      case 'EXPOSE':
        stage.expose.push(...args(i));
        break;
      case 'VOLUME':
        stage.volumes.push(...execForm(i));
        break;
      case 'CMD':
        stage.cmd = execForm(i);
        break;
      case 'HEALTHCHECK': {
        const options = flagsOf(i);
        stage.healthcheck = { cmd: execForm(i), options };
        break;
      }
      default:
        throw new Error(`${keyword}: not an instruction this plan understands`);
    }
  }
  return stages;
}
