/*
  forewarn shipped YARA rules, version 2026.11.1. Techniques, not samples: each rule describes
  how a weaponized attachment or credential-harvesting page works. Metadata forewarn reads:
  description, severity (low | medium | high | critical), confidence (0-100), attack (ATT&CK
  technique IDs, comma-separated). Put your own rules in rules/local/*.yar.
*/

rule office_macro_autoexec
{
    meta:
        description = "an Office document with a macro that runs when the document opens"
        severity = "high"
        confidence = 85
        attack = "T1566.001, T1204.002, T1137"
    strings:
        $vba1 = "vbaProject.bin" ascii nocase
        $vba2 = "_VBA_PROJECT" ascii wide
        $auto1 = "AutoOpen" ascii wide nocase
        $auto2 = "Document_Open" ascii wide nocase
        $auto3 = "Workbook_Open" ascii wide nocase
        $auto4 = "Auto_Open" ascii wide nocase
        $auto5 = "AutoExec" ascii wide nocase
    condition:
        any of ($vba*) and any of ($auto*)
}

rule office_xlm_macro_sheet
{
    meta:
        description = "an Excel 4.0 (XLM) macro sheet, a way to run code without VBA"
        severity = "high"
        confidence = 75
        attack = "T1566.001, T1204.002"
    strings:
        $ole = { D0 CF 11 E0 A1 B1 1A E1 }
        $auto = "Auto_Open" ascii wide nocase
        $exec1 = "EXEC(" ascii wide nocase
        $exec2 = "CALL(" ascii wide nocase
        $exec3 = "REGISTER(" ascii wide nocase
    condition:
        $ole at 0 and $auto and any of ($exec*)
}

rule script_downloader
{
    meta:
        description = "a script that starts a shell or downloads and runs code"
        severity = "high"
        confidence = 80
        attack = "T1566.001, T1059.001, T1059.005, T1105"
    strings:
        $s1 = "WScript.Shell" ascii wide nocase
        $s2 = "Shell.Application" ascii wide nocase
        $s3 = "powershell" ascii wide nocase
        $p1 = "-EncodedCommand" ascii wide nocase
        $p2 = "FromBase64String" ascii wide nocase
        $p3 = "DownloadString" ascii wide nocase
        $p4 = "DownloadFile" ascii wide nocase
        $p5 = "Invoke-Expression" ascii wide nocase
        $p6 = "Invoke-WebRequest" ascii wide nocase
        $p7 = "MSXML2.XMLHTTP" ascii wide nocase
        $p8 = "ADODB.Stream" ascii wide nocase
        $p9 = "bitsadmin" ascii wide nocase
        $p10 = "certutil -decode" ascii wide nocase
        $p11 = "mshta" ascii wide nocase
    condition:
        any of ($s*) and any of ($p*)
}

rule html_smuggling
{
    meta:
        description = "a web page that assembles a file in the browser and offers it for download (HTML smuggling)"
        severity = "high"
        confidence = 80
        attack = "T1027.006, T1566.001"
    strings:
        $decode1 = "atob(" ascii nocase
        $decode2 = "Uint8Array" ascii
        $blob = "new Blob(" ascii
        $save1 = "msSaveOrOpenBlob" ascii
        $save2 = "createObjectURL" ascii
        $download = ".download" ascii
    condition:
        any of ($decode*) and $blob and any of ($save*) and $download
}

rule html_credential_form
{
    meta:
        description = "a web page with a password form that posts to a remote server"
        severity = "high"
        confidence = 80
        attack = "T1566.001, T1598.002, T1056.003"
    strings:
        $html = "<html" ascii nocase
        $form = "<form" ascii nocase
        $password = /type\s*=\s*["']?password/ nocase
        $action = /action\s*=\s*["']?https?:\/\// nocase
        $post1 = "fetch(" ascii
        $post2 = "XMLHttpRequest" ascii
        $post3 = "$.ajax" ascii
        $post4 = "api.telegram.org" ascii nocase
    condition:
        $html and $password and (($form and $action) or any of ($post*))
}

rule pdf_runs_code_on_open
{
    meta:
        description = "a PDF that runs JavaScript or launches a program when it is opened"
        severity = "high"
        confidence = 70
        attack = "T1566.001, T1204.002"
    strings:
        $pdf = "%PDF-"
        $open = "/OpenAction" ascii
        $aa = "/AA" ascii
        $js = "/JavaScript" ascii
        $launch = "/Launch" ascii
    condition:
        $pdf at 0 and ($open or $aa) and ($js or $launch)
}

rule rtf_embedded_object
{
    meta:
        description = "an RTF document with an embedded object that updates itself, the usual carrier of Office exploits"
        severity = "high"
        confidence = 75
        attack = "T1566.001, T1203"
    strings:
        $rtf = "{\\rt" ascii
        $obj1 = "\\objupdate" ascii nocase
        $obj2 = "\\objdata" ascii nocase
        $equation = "Equation.3" ascii nocase
    condition:
        $rtf at 0 and $obj2 and ($obj1 or $equation)
}

rule shortcut_runs_shell
{
    meta:
        description = "a Windows shortcut (.lnk) that starts a shell or script host"
        severity = "critical"
        confidence = 85
        attack = "T1566.001, T1204.002, T1547.009"
    strings:
        $lnk = { 4C 00 00 00 01 14 02 00 }
        $t1 = "powershell" ascii wide nocase
        $t2 = "cmd.exe" ascii wide nocase
        $t3 = "mshta" ascii wide nocase
        $t4 = "wscript" ascii wide nocase
        $t5 = "rundll32" ascii wide nocase
        $t6 = "regsvr32" ascii wide nocase
    condition:
        $lnk at 0 and any of ($t*)
}
