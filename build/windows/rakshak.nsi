; Rakshak console installer for Windows (NSIS 3, per-machine).
;
; Build (on the Windows runner, after PyInstaller; .github/workflows/windows.yml):
;   makensis /DVERSION=0.1.0 /DBUNDLE=build\out\rakshak /DOUTFILE=build\dist\rakshak-0.1.0-setup.exe build\windows\rakshak.nsi
; The same script compiles with Debian's makensis against a stand-in folder (tests/unit/test_packaging.py).
;
; Install, silent, for every user of the machine (needs an administrator):
;   rakshak-0.1.0-setup.exe /S [/NOUPDATECHECK] [/D=C:\Program Files\Rakshak]
; /NOUPDATECHECK writes HKLM\SOFTWARE\Rakshak UpdateCheck = 0 (DWORD), the machine policy the console
; honours above every user's settings (core/settings.py). /D must be last and unquoted.
; Uninstall, silent:  "C:\Program Files\Rakshak\uninstall.exe" /S
; The uninstaller removes the program files, shortcuts and registry entries it made, and never the
; operators' data (the encrypted store and settings under %LOCALAPPDATA%\rakshak).

Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef BUNDLE
  !define BUNDLE "..\out\rakshak"
!endif
!ifndef OUTFILE
  !define OUTFILE "rakshak-${VERSION}-setup.exe"
!endif

!define APPNAME "Rakshak"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Rakshak"
!define POLICY_KEY "SOFTWARE\Rakshak"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
ShowInstDetails nevershow
ShowUninstDetails nevershow
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APPNAME}"
VIAddVersionKey "FileDescription" "${APPNAME} control-room console installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Rakshak project"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Rakshak needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Rakshak" SecMain
  SectionIn RO
  ; An upgrade replaces the program files whole: no file of an older bundle is left to be loaded.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\rakshak.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\rakshak.exe"

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "Rakshak project"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\rakshak.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0

  ; /NOUPDATECHECK: the machine policy turns the console's update check off for every user.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/NOUPDATECHECK" $R1
  ${IfNot} ${Errors}
    WriteRegDWORD HKLM "${POLICY_KEY}" "UpdateCheck" 0
  ${EndIf}
SectionEnd

Section "Uninstall"
  ; Only what the installer put here: never a recursive delete of a folder the user may have chosen.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\rakshak.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  Delete "$DESKTOP\${APPNAME}.lnk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegValue HKLM "${POLICY_KEY}" "UpdateCheck"
  DeleteRegKey /ifempty HKLM "${POLICY_KEY}"
  ; %LOCALAPPDATA%\rakshak (each operator's encrypted store and settings) is left alone on purpose.
SectionEnd
