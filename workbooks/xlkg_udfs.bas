Attribute VB_Name = "xlkg_udfs"
' Generated from xlkg's worksheet-function registry by `xlkg manifest` (xlwings' own generator, then
' every result through XlkgCells). Import it with Alt+F11 > File > Import File. Do not edit.
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel
Function ADVANTAGE(potential, Optional threshold, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ADVANTAGE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "ADVANTAGE", Array(potential, threshold, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        ADVANTAGE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "ADVANTAGE", Array(potential, threshold, lang)))
        Exit Function
    #End If
failed:
    ADVANTAGE = Err.Description
End Function

Function CANDIDATES(potential, Optional threshold, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CANDIDATES = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "CANDIDATES", Array(potential, threshold, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        CANDIDATES = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "CANDIDATES", Array(potential, threshold, lang)))
        Exit Function
    #End If
failed:
    CANDIDATES = Err.Description
End Function

Function CLUSTERS(potential, Optional mapping, Optional threshold, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLUSTERS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "CLUSTERS", Array(potential, mapping, threshold, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        CLUSTERS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "CLUSTERS", Array(potential, mapping, threshold, lang)))
        Exit Function
    #End If
failed:
    CLUSTERS = Err.Description
End Function

Function CLUSTER_CHECK(potential, Optional proposal, Optional mapping, Optional threshold, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLUSTER_CHECK = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "CLUSTER_CHECK", Array(potential, proposal, mapping, threshold, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        CLUSTER_CHECK = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "CLUSTER_CHECK", Array(potential, proposal, mapping, threshold, lang)))
        Exit Function
    #End If
failed:
    CLUSTER_CHECK = Err.Description
End Function

Function CLUSTER_POTENTIAL(localization_kl, per_capita_kdp, specialization_ks, Optional method, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLUSTER_POTENTIAL = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "CLUSTER_POTENTIAL", Array(localization_kl, per_capita_kdp, specialization_ks, method, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        CLUSTER_POTENTIAL = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "CLUSTER_POTENTIAL", Array(localization_kl, per_capita_kdp, specialization_ks, method, lang)))
        Exit Function
    #End If
failed:
    CLUSTER_POTENTIAL = Err.Description
End Function

Function DYNAMICS(values, Optional view, Optional base, Optional total_row, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        DYNAMICS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "DYNAMICS", Array(values, view, base, total_row, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        DYNAMICS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "DYNAMICS", Array(values, view, base, total_row, dash, lang)))
        Exit Function
    #End If
failed:
    DYNAMICS = Err.Description
End Function

Function ECO_STARS(employment, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ECO_STARS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "ECO_STARS", Array(employment, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        ECO_STARS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "ECO_STARS", Array(employment, dash, lang)))
        Exit Function
    #End If
failed:
    ECO_STARS = Err.Description
End Function

Function LITZENBERGER(values, area, population, firms, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LITZENBERGER = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "LITZENBERGER", Array(values, area, population, firms, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        LITZENBERGER = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "LITZENBERGER", Array(values, area, population, firms, dash, lang)))
        Exit Function
    #End If
failed:
    LITZENBERGER = Err.Description
End Function

Function LOCALIZATION(values, Optional region_totals, Optional sector_totals, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LOCALIZATION = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "LOCALIZATION", Array(values, region_totals, sector_totals, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        LOCALIZATION = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "LOCALIZATION", Array(values, region_totals, sector_totals, dash, lang)))
        Exit Function
    #End If
failed:
    LOCALIZATION = Err.Description
End Function

Function LOCALIZATION_MEAN(ParamArray bases())
    Dim argsArray() As Variant
    argsArray = Array()
    ReDim Preserve argsArray(0 to UBound(bases) - LBound(bases) + 0)
    For k = LBound(bases) To UBound(bases)
    argsArray(0 + k - LBound(bases)) = bases(k)
    Next k
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LOCALIZATION_MEAN = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "LOCALIZATION_MEAN", argsArray, ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        LOCALIZATION_MEAN = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "LOCALIZATION_MEAN", argsArray))
        Exit Function
    #End If
failed:
    LOCALIZATION_MEAN = Err.Description
End Function

Function METHOD_TEXT(measure, Optional method, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        METHOD_TEXT = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "METHOD_TEXT", Array(measure, method, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        METHOD_TEXT = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "METHOD_TEXT", Array(measure, method, lang)))
        Exit Function
    #End If
failed:
    METHOD_TEXT = Err.Description
End Function

Function PEER_INDEX(values, which, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PEER_INDEX = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "PEER_INDEX", Array(values, which, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        PEER_INDEX = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "PEER_INDEX", Array(values, which, dash, lang)))
        Exit Function
    #End If
failed:
    PEER_INDEX = Err.Description
End Function

Function PER_CAPITA(values, population, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PER_CAPITA = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "PER_CAPITA", Array(values, population, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        PER_CAPITA = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "PER_CAPITA", Array(values, population, dash, lang)))
        Exit Function
    #End If
failed:
    PER_CAPITA = Err.Description
End Function

Function RATING_IMPUTE(indicators, Optional imputation, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RATING_IMPUTE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "RATING_IMPUTE", Array(indicators, imputation, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        RATING_IMPUTE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "RATING_IMPUTE", Array(indicators, imputation, lang)))
        Exit Function
    #End If
failed:
    RATING_IMPUTE = Err.Description
End Function

Function RATING_INDICATORS(Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RATING_INDICATORS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "RATING_INDICATORS", Array(lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        RATING_INDICATORS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "RATING_INDICATORS", Array(lang)))
        Exit Function
    #End If
failed:
    RATING_INDICATORS = Err.Description
End Function

Function RATING_TREAT(indicators, Optional treatment, Optional winmax, Optional view, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RATING_TREAT = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "RATING_TREAT", Array(indicators, treatment, winmax, view, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        RATING_TREAT = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "RATING_TREAT", Array(indicators, treatment, winmax, view, lang)))
        Exit Function
    #End If
failed:
    RATING_TREAT = Err.Description
End Function

Function REGION_RATING(indicators, Optional directions, Optional weights, Optional method, Optional aggregation, Optional min_coverage, Optional reference, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGION_RATING = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING", Array(indicators, directions, weights, method, aggregation, min_coverage, reference, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        REGION_RATING = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING", Array(indicators, directions, weights, method, aggregation, min_coverage, reference, lang)))
        Exit Function
    #End If
failed:
    REGION_RATING = Err.Description
End Function

Function REGION_RATING_COHERENCE(indicators, Optional directions, Optional weights, Optional method, Optional correlation, Optional treatment, Optional imputation, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGION_RATING_COHERENCE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_COHERENCE", Array(indicators, directions, weights, method, correlation, treatment, imputation, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        REGION_RATING_COHERENCE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_COHERENCE", Array(indicators, directions, weights, method, correlation, treatment, imputation, lang)))
        Exit Function
    #End If
failed:
    REGION_RATING_COHERENCE = Err.Description
End Function

Function REGION_RATING_COMPOSITE(indicators, Optional directions, Optional weights, Optional method, Optional aggregation, Optional treatment, Optional imputation, Optional min_coverage, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGION_RATING_COMPOSITE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_COMPOSITE", Array(indicators, directions, weights, method, aggregation, treatment, imputation, min_coverage, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        REGION_RATING_COMPOSITE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_COMPOSITE", Array(indicators, directions, weights, method, aggregation, treatment, imputation, min_coverage, lang)))
        Exit Function
    #End If
failed:
    REGION_RATING_COMPOSITE = Err.Description
End Function

Function REGION_RATING_SCORES(indicators, Optional directions, Optional method, Optional reference, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGION_RATING_SCORES = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_SCORES", Array(indicators, directions, method, reference, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        REGION_RATING_SCORES = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_SCORES", Array(indicators, directions, method, reference, lang)))
        Exit Function
    #End If
failed:
    REGION_RATING_SCORES = Err.Description
End Function

Function REGION_RATING_SENSITIVITY(indicators, Optional directions, Optional weights, Optional drop_one, Optional methods, Optional view, Optional min_coverage, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGION_RATING_SENSITIVITY = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_SENSITIVITY", Array(indicators, directions, weights, drop_one, methods, view, min_coverage, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        REGION_RATING_SENSITIVITY = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_SENSITIVITY", Array(indicators, directions, weights, drop_one, methods, view, min_coverage, lang)))
        Exit Function
    #End If
failed:
    REGION_RATING_SENSITIVITY = Err.Description
End Function

Function REGION_RATING_UNCERTAINTY(indicators, Optional directions, Optional weights, Optional runs, Optional seed, Optional spread, Optional methods, Optional treatment, Optional imputation, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGION_RATING_UNCERTAINTY = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_UNCERTAINTY", Array(indicators, directions, weights, runs, seed, spread, methods, treatment, imputation, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        REGION_RATING_UNCERTAINTY = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_UNCERTAINTY", Array(indicators, directions, weights, runs, seed, spread, methods, treatment, imputation, lang)))
        Exit Function
    #End If
failed:
    REGION_RATING_UNCERTAINTY = Err.Description
End Function

Function REGION_RATING_YEARS(data, Optional directions, Optional weights, Optional method, Optional aggregation, Optional min_coverage, Optional view, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGION_RATING_YEARS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_YEARS", Array(data, directions, weights, method, aggregation, min_coverage, view, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        REGION_RATING_YEARS = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "REGION_RATING_YEARS", Array(data, directions, weights, method, aggregation, min_coverage, view, lang)))
        Exit Function
    #End If
failed:
    REGION_RATING_YEARS = Err.Description
End Function

Function SHIFT_SHARE(base, report, Optional method, Optional view, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SHIFT_SHARE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "SHIFT_SHARE", Array(base, report, method, view, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        SHIFT_SHARE = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "SHIFT_SHARE", Array(base, report, method, view, dash, lang)))
        Exit Function
    #End If
failed:
    SHIFT_SHARE = Err.Description
End Function

Function SPECIALIZATION(values, grp, Optional method, Optional outflow, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SPECIALIZATION = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "SPECIALIZATION", Array(values, grp, method, outflow, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        SPECIALIZATION = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "SPECIALIZATION", Array(values, grp, method, outflow, dash, lang)))
        Exit Function
    #End If
failed:
    SPECIALIZATION = Err.Description
End Function

Function STRONG_CLUSTER(employment, establishments, Optional dash, Optional lang)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        STRONG_CLUSTER = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "STRONG_CLUSTER", Array(employment, establishments, dash, lang), ThisWorkbook, Application.Caller))
        Exit Function
    #Else
        STRONG_CLUSTER = XlkgCells(XLPy.CallUDF("xlkg.excel.udfs", "STRONG_CLUSTER", Array(employment, establishments, dash, lang)))
        Exit Function
    #End If
failed:
    STRONG_CLUSTER = Err.Description
End Function


' xlkg returns a value that cannot be computed as the text "#N/A" (and Excel's other errors as their
' texts). A Python COM server cannot hand Excel an error value, so the texts become CVErr(...) here:
' ISNA, IFERROR and arithmetic then see real errors, as in Office.js and `xlkg recalc`.
Private Function XlkgErrorValue(ByVal x As Variant) As Variant
    XlkgErrorValue = x
    If VarType(x) <> vbString Then Exit Function
    Select Case x
        Case "#NULL!": XlkgErrorValue = CVErr(2000)
        Case "#DIV/0!": XlkgErrorValue = CVErr(2007)
        Case "#VALUE!": XlkgErrorValue = CVErr(2015)
        Case "#REF!": XlkgErrorValue = CVErr(2023)
        Case "#NAME?": XlkgErrorValue = CVErr(2029)
        Case "#NUM!": XlkgErrorValue = CVErr(2036)
        Case "#N/A": XlkgErrorValue = CVErr(2042)
    End Select
End Function

Private Function XlkgCells(ByVal result As Variant) As Variant
    Dim i As Long, j As Long, twoD As Boolean, cols As Long
    If Not IsArray(result) Then
        XlkgCells = XlkgErrorValue(result)
        Exit Function
    End If
    On Error Resume Next
    cols = UBound(result, 2)
    twoD = (Err.Number = 0)
    On Error GoTo 0
    If twoD Then
        For i = LBound(result, 1) To UBound(result, 1)
            For j = LBound(result, 2) To UBound(result, 2)
                result(i, j) = XlkgErrorValue(result(i, j))
            Next j
        Next i
    Else
        For i = LBound(result) To UBound(result)
            result(i) = XlkgErrorValue(result(i))
        Next i
    End If
    XlkgCells = result
End Function
