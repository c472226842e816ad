import { writeFile } from 'node:fs/promises';
import { ArbitrageError, ConfigError } from '@arbitrage/core';
import { CommanderError } from 'commander';
import { backtestSummary, describeSpeed } from '../backtest/backtest-summary.js';
import { buildReportData } from '../backtest/build-report.js';
import { runBacktest } from '../backtest/run-backtest.js';
import { runSweep } from '../backtest/run-sweep.js';
import { parseSweep } from '../backtest/sweep-grid.js';
import { formatSweep } from '../backtest/sweep-metrics.js';
import { assetNames } from '../config/asset-selection.js';
import { loadConfig } from '../config/load-config.js';
import { chosenExchanges, type ExchangePackage, type ModuleImporter } from '../exchanges/registry.js';
import { runnerLiveGuard } from '../live/runner-live-guard.js';
import { createRunnerLogger, type TextSink } from '../logging/create-logger.js';
import { chooseLogOutput } from '../logging/log-output.js';
import { openLogSink } from '../logging/open-log-sink.js';
import { CREDENTIAL_VARIABLES, SecretScrubber } from '../logging/secrets.js';
import type { ClosableSink } from '../logging/terminal-log-sink.js';
import { formatRecording } from '../record/format-recording.js';
import { openRecordingWriter } from '../record/open-writer.js';
import { runRecord } from '../record/run-record.js';
import { renderReport } from '../report/index.js';
import { runPaper } from '../session/run-paper.js';
import { formatSummary } from '../summary/format-summary.js';
import { parseCommand } from './program.js';

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Listen for SIGINT/SIGTERM. Default true. */
  readonly handleSignals?: boolean;
  /** stdout and stderr are a terminal: logs go to a file, warnings to stderr as text (unless --json). */
  readonly terminal?: boolean;
  /** Where that log file goes (default: the system's temporary directory). */
  readonly logDir?: string;
  readonly packages?: Readonly<Record<string, ExchangePackage>>;
  readonly importer?: ModuleImporter;
}

/** Exit codes: 0 done, 1 failed while running, 2 bad input (nothing was started). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** Runs the command line; returns the exit code. Everything written out passes the secret scrubber. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const scrubber = SecretScrubber.fromEnv(io.env);
  const stdout: TextSink = { write: (text) => io.stdout.write(scrubber.scrub(text)) };
  const stderr: TextSink = { write: (text) => io.stderr.write(scrubber.scrub(text)) };
  let command: Awaited<ReturnType<typeof parseCommand>>;
  try {
    command = await parseCommand(argv, {
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    stderr.write(describeError(error));
    return EXIT_BAD_INPUT;
  }
  let logSink: ClosableSink | undefined;
  try {
    const config = await loadConfig({ file: command.configFile, env: io.env, flags: command.flags });
    if (command.command === 'live') {
      runnerLiveGuard().resolve({
        flag: true,
        configMode: config.mode,
        env: io.env,
        limits: config.limits,
        assets: assetNames(config),
        exchanges: chosenExchanges(config.exchanges),
      });
      stderr.write(
        'error: every live switch is set, but this release has no live order sender; nothing was started. Use `paper`.\n',
      );
      return EXIT_FAILED;
    }
    logSink = openLogSink({
      output: chooseLogOutput({ terminal: io.terminal ?? false, json: 'json' in command && command.json }),
      stderr,
      command: command.command,
      ...(io.logDir === undefined ? {} : { dir: io.logDir }),
    });
    const logger = createRunnerLogger({ level: config.runner.logLevel, sink: logSink, scrubber });
    if (command.command === 'backtest' && command.sweeps.length > 0) {
      const rows = await runSweep({
        dir: command.dir,
        axes: command.sweeps.map(parseSweep),
        args: [
          ...(command.configFile === undefined ? [] : ['--config', command.configFile]),
          ...(command.from === undefined ? [] : ['--from', new Date(command.from).toISOString()]),
          ...(command.to === undefined ? [] : ['--to', new Date(command.to).toISOString()]),
        ],
        env: io.env,
      });
      stdout.write(command.json ? `${JSON.stringify(rows)}\n` : formatSweep(rows));
      return EXIT_OK;
    }
    if (command.command === 'backtest') {
      const outcome = await runBacktest({
        config,
        dir: command.dir,
        range: {
          ...(command.from === undefined ? {} : { from: command.from }),
          ...(command.to === undefined ? {} : { to: command.to }),
        },
        logger,
        progress: (line) => stderr.write(line),
        ...(io.packages ? { packages: io.packages } : {}),
      });
      stderr.write(describeSpeed(outcome));
      if (command.report !== undefined) {
        const data = buildReportData(
          backtestSummary(outcome),
          outcome.series,
          command.configFile ?? 'defaults',
        );
        await writeFile(command.report, renderReport(data));
        stderr.write(`report written to ${command.report}\n`);
      }
      stdout.write(
        command.json ? `${JSON.stringify(backtestSummary(outcome))}\n` : formatSummary(outcome.summary),
      );
      return EXIT_OK;
    }
    if (command.command === 'record') {
      const outcome = await runRecord({
        config,
        dir: command.dir,
        openWriter: openRecordingWriter,
        logger,
        statusSink: stderr,
        durationMs: command.durationMs,
        handleSignals: io.handleSignals ?? true,
        ...(io.packages ? { packages: io.packages } : {}),
        ...(io.importer ? { importer: io.importer } : {}),
      });
      stdout.write(formatRecording(outcome));
      if (outcome.failure) {
        stderr.write(`error: ${outcome.failure.message}\n`);
        return EXIT_FAILED;
      }
      return EXIT_OK;
    }
    logger.debug(
      { variables: CREDENTIAL_VARIABLES.filter((variable) => io.env[variable]?.trim()) },
      'credential values from these variables are redacted from every output',
    );
    const summary = await runPaper({
      config,
      env: io.env,
      logger,
      statusSink: stderr,
      durationMs: command.durationMs,
      ...(command.recordDir === undefined
        ? {}
        : { record: { dir: command.recordDir, openWriter: openRecordingWriter } }),
      handleSignals: io.handleSignals ?? true,
      ...(io.packages ? { packages: io.packages } : {}),
      ...(io.importer ? { importer: io.importer } : {}),
    });
    stdout.write(command.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return EXIT_OK;
  } catch (error) {
    stderr.write(describeError(error));
    return error instanceof ConfigError ? EXIT_BAD_INPUT : EXIT_FAILED;
  } finally {
    logSink?.close();
  }
}

/** The message for a person: config errors as they are; anything else with its code, causes and stack. */
function describeError(error: unknown): string {
  if (error instanceof ConfigError) return `error: ${error.message}\nnothing was started.\n`;
  if (error instanceof ArbitrageError) {
    return `error [${error.code}]: ${error.message}${causeChain(error)}\n`;
  }
  if (error instanceof Error) return `error: ${error.message}${causeChain(error)}\n${error.stack ?? ''}\n`;
  return `error: ${String(error)}\n`;
}

function causeChain(error: Error): string {
  let text = '';
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    text += `\n  caused by: ${cause instanceof Error ? cause.message : String(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}
