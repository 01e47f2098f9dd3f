// A PowerShell host for tests of confirmation prompts: it records each prompt as "caption|message" and answers Yes
// only to questions whose message contains a given phrase; every other question is answered No.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace CloudPatterns.Tests
{
    public sealed class RecordingHost : PSHost
    {
        private readonly RecordingUserInterface ui;

        public RecordingHost(string confirmPhrase) => ui = new RecordingUserInterface(confirmPhrase);

        public List<string> Prompts => ui.Prompts;

        public override string Name => "RecordingHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class RecordingUserInterface : PSHostUserInterface
    {
        private readonly string confirmPhrase;

        public RecordingUserInterface(string confirmPhrase) => this.confirmPhrase = confirmPhrase;

        public List<string> Prompts { get; } = new List<string>();

        public override PSHostRawUserInterface RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add(caption + "|" + message);
            string wanted = message.Contains(confirmPhrase) ? "&Yes" : "&No";
            return choices.Select((choice, index) => (choice, index)).First(pair => pair.choice.Label == wanted).index;
        }

        public override string ReadLine() => throw new NotSupportedException();
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
