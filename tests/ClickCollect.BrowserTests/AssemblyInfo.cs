// Skips, with the reason, what this machine cannot run (PostgreSQL, Chromium) unless CI=true: Support/LocalTestFramework.cs.
[assembly: Xunit.TestFramework("ClickCollect.Tests.Support.LocalTestFramework", "ClickCollect.BrowserTests")]
