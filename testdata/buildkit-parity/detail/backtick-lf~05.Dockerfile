# escape=`
from mcr.microsoft.com/windows/nanoserver:ltsc2022 AS w
copy ["C:\\src\\app", "C:\\app"]
workdir C:/app
workdir /abs
run echo a `
  b `

  c
env PATH="C:\Windows;C:\app" `
    MODE=production
env A B
cmd C:\app\run.exe
entrypoint ["C:\\app\\run.exe"]
run echo \ not-a-continuation
label a=`
b
