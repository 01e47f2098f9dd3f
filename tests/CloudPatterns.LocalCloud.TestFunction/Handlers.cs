using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace CloudPatterns.LocalCloud.TestFunction
{
    /// <summary>Handlers of the test function (handler strings CloudPatterns.LocalCloud.TestFunction::CloudPatterns.LocalCloud.TestFunction.Handlers::NAME).</summary>
    public sealed class Handlers
    {
        /// <summary>Returns the event and some of the environment Lambda sets, as JSON; writes one line to the log.</summary>
        public Stream Echo(Stream input)
        {
            var text = new StreamReader(input).ReadToEnd();
            Console.WriteLine("echo handler got " + text.Length + " bytes");
            var json = "{\"event\":" + (text.Length == 0 ? "null" : text)
                + ",\"function\":\"" + Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME")
                + "\",\"region\":\"" + Environment.GetEnvironmentVariable("AWS_REGION")
                + "\",\"stage\":\"" + Environment.GetEnvironmentVariable("STAGE")
                + "\",\"tieredCompilation\":\"" + Environment.GetEnvironmentVariable("DOTNET_TieredCompilation")
                + "\",\"hasSessionToken\":" + (Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") is { Length: > 0 } ? "true" : "false") + "}";
            return new MemoryStream(Encoding.UTF8.GetBytes(json));
        }

        /// <summary>Writes the event it got to the log as one line (what EventBridge and Scheduler tests read back).</summary>
        public static Stream Record(Stream input)
        {
            var text = new StreamReader(input).ReadToEnd();
            Console.WriteLine("event " + text.Replace("\n", " "));
            return new MemoryStream(Encoding.UTF8.GetBytes("null"));
        }

        private static int count;

        /// <summary>
        /// Counts its events in static state and in a file in the temporary directory, both of which survive between
        /// events of one execution environment; returns the counts and the process id.
        /// </summary>
        public static Stream Count(Stream input)
        {
            count++;
            var path = Path.Combine(Path.GetTempPath(), "seen");
            File.AppendAllText(path, "x");
            var json = "{\"count\":" + count + ",\"seen\":" + File.ReadAllText(path).Length + ",\"pid\":" + System.Diagnostics.Process.GetCurrentProcess().Id + "}";
            return new MemoryStream(Encoding.UTF8.GetBytes(json));
        }

        /// <summary>Throws: the invocation ends with AWS's error payload.</summary>
        public static Stream Fail(Stream input)
        {
            Console.Error.WriteLine("about to fail");
            throw new InvalidOperationException("The test function failed on purpose.");
        }

        /// <summary>Runs longer than any test timeout.</summary>
        public async Task<Stream> Sleep(Stream input)
        {
            Console.WriteLine("sleeping");
            await Task.Delay(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            return new MemoryStream();
        }

        /// <summary>Calls STS GetCallerIdentity with the execution role's credentials at AWS_ENDPOINT_URL and returns the caller ARN.</summary>
        public static async Task<Stream> WhoAmI(Stream input)
        {
            using var sts = new AmazonSecurityTokenServiceClient();
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()).ConfigureAwait(false);
            return new MemoryStream(Encoding.UTF8.GetBytes("\"" + identity.Arn + "\""));
        }
    }
}
