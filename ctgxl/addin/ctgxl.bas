Attribute VB_Name = "ctgxl"
' ctgxl : boutons Vérifier, Comparer et Consolider pour le plan d'actions CTG (xlwings local).
'
' Installation (Excel pour Windows ou macOS, Python et ctgxl installés sur le poste) :
'   1. Dans le dossier de ctgxl fourni par l'équipe : pip install ".[addin]"
'      (ou, depuis le fichier fourni : pip install "ctgxl-0.1.0-py3-none-any.whl[addin]"),
'      puis : xlwings addin install
'   2. Dans Excel : Fichier > Options > Centre de gestion de la confidentialité > Paramètres
'      des macros : cocher « Accès approuvé au modèle d'objet du projet VBA ».
'   3. Enregistrer le classeur du plan au format .xlsm ; Alt+F11 ; Fichier > Importer un
'      fichier… > ce fichier ctgxl.bas ; Outils > Références > cocher « xlwings ».
'   4. Insérer trois boutons (Développeur > Insérer > Bouton) et leur affecter les macros
'      Verifier, Comparer et Consolider.
' Détails : ctgxl aide complement.

Option Explicit

Sub Verifier()
    RunPython "import ctgxl.addin.local as a; a.verifier()"
End Sub

Sub Comparer()
    Dim chemin As Variant
    chemin = Application.GetOpenFilename( _
        "Classeurs du plan (*.xlsx;*.xlsm;*.ods),*.xlsx;*.xlsm;*.ods", , _
        "Choisir la version de référence")
    If chemin = False Then Exit Sub
    RunPython "import ctgxl.addin.local as a; a.comparer(" & PyTexte(CStr(chemin)) & ")"
End Sub

Sub Consolider()
    ' Sans sélection, les classeurs listés dans la colonne A de la feuille « Sources ».
    Dim fichiers As Variant, i As Long, args As String
    fichiers = Application.GetOpenFilename( _
        "Classeurs des services (*.xlsx;*.xlsm;*.ods),*.xlsx;*.xlsm;*.ods", , _
        "Choisir les classeurs à consolider (Annuler : feuille « Sources »)", , True)
    If IsArray(fichiers) Then
        For i = LBound(fichiers) To UBound(fichiers)
            If args <> "" Then args = args & ", "
            args = args & PyTexte(CStr(fichiers(i)))
        Next i
    End If
    RunPython "import ctgxl.addin.local as a; a.consolider(" & args & ")"
End Sub

Private Function PyTexte(ByVal s As String) As String
    ' Un chemin écrit comme chaîne Python (les \ et " sont protégés).
    PyTexte = """" & Replace(Replace(s, "\", "\\"), """", "\""") & """"
End Function
