@echo off
rem The interceptor CLI of the packaged LiteLLM Interceptor app: starts the app's own executable
rem as the CLI (it then runs the CLI bundled in it and opens no window), so no separate Node.js is
rem needed. Add this folder (the install folder\resources\bin) to your PATH to use it from any
rem terminal.
setlocal
"%~dp0..\..\LiteLLM Interceptor.exe" --interceptor-cli -- %*
exit /b %ERRORLEVEL%
