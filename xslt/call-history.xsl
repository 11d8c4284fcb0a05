<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shapes the subscriber's BroadWorks call logs (directories/CallLogs: placed, received, missed) into the call
  history answer, XML or JSON ($format), merged newest first:
    XML  <callHistory>
           <call id="missed-55:0" direction="incoming" result="missed" time="2010-03-24T06:15:46.138Z">
             <number>7002</number><countryCode>1</countryCode><name>Subhash negi002</name>
           </call> ...
         </callHistory>
    JSON {"calls":[{"id","direction","result","time","number","countryCode","name"}, ...]}
  A call's fixed facts (id, direction, result, time) are attributes; what XSI writes freely (number, country code,
  name) are elements, present in every call, empty when XSI has no value (JSON: every key in every call, "" then).
    id         the list and XSI's callLogId ('placed-47:0'): stable while XSI keeps the entry, never the same in
               two lists
    direction  outgoing (placed), incoming (received, missed)
    result     answered (placed, received), missed (missed). XSI's basic call logs say nothing more (no duration,
               no busy or declined): placed calls are 'answered' in the sense of "not missed".
    time       UTC, milliseconds, e.g. 2010-03-26T10:09:39.811Z (XSI's offset converted; a time without an offset is
               taken as UTC)
  Order: time, newest first; the same instant: placed, received, missed; then callLogId (Unicode code points).
  An entry without a readable time or without a callLogId (both required by XSI's schema) is left out: it could be
  neither ordered nor named.

  Input: the walk document (walk/WalkDocumentBuilder) with <call-logs><CallLogs>..</CallLogs></call-logs>, absent
  when the user lacks the call logs service (XSI 403: an empty history). XSI documents are matched by local name.
  Parameters: $format  'xml' (default) or 'json'
              $since   '' or an instant in UTC (xs:dateTime with Z; the route checked it): only calls after it

  A tenant override (xslt/tenants/<tenant>/call-history.xsl) imports this file and replaces a hook. Public
  (namespace p = urn:provisioning-proxy):
    mode p:call   (match callLogsEntry)  the call: one <call> element as above; call p:call with other values to
                                         keep the shape
    function p:call($list, $entry, $number, $name)   that element for an entry of list $list
    from lib/common.xsl: p:first, p:dial-number
  Names in pp (urn:provisioning-proxy:private) are internals that may change.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:fn="http://www.w3.org/2005/xpath-functions"
                xmlns:p="urn:provisioning-proxy"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="#all"
                expand-text="yes">

  <xsl:import href="lib/common.xsl"/>

  <xsl:param name="format" as="xs:string" select="'xml'"/>
  <xsl:param name="since" as="xs:string" select="''"/>

  <!-- text, UTF-8, for both formats: the one output method an API serializer gives the principal result
       (xsl:result-document cannot switch it), so the XML is serialized here by fn:serialize, the JSON by
       fn:xml-to-json; both from trees, never by concatenation -->
  <xsl:output method="text" encoding="UTF-8"/>

  <!-- the lists in the order calls of the same instant are listed -->
  <xsl:variable name="pp:lists" as="xs:string*" select="('placed', 'received', 'missed')"/>

  <xsl:template match="/">
    <xsl:variable name="after" as="xs:dateTime?" select="if ($since) then xs:dateTime($since) else ()"/>
    <xsl:variable name="entries" as="element()*">
      <xsl:perform-sort select="walk/call-logs/*:CallLogs/*[local-name() = $pp:lists]/*:callLogsEntry
                                [exists(pp:instant(*:time))][p:first(*:callLogId)]
                                [empty($after) or pp:instant(*:time) gt $after]">
        <xsl:sort select="pp:instant(*:time)" order="descending"/>
        <xsl:sort select="index-of($pp:lists, local-name(..))" data-type="number"/>
        <xsl:sort select="p:first(*:callLogId)"
                  collation="http://www.w3.org/2005/xpath-functions/collation/codepoint"/>
      </xsl:perform-sort>
    </xsl:variable>
    <xsl:variable name="sorted" as="element(call)*">
      <xsl:apply-templates select="$entries" mode="p:call"/>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$format eq 'json'">
        <xsl:value-of select="xml-to-json(pp:json($sorted))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="history" as="element(callHistory)">
          <callHistory>
            <xsl:sequence select="$sorted"/>
          </callHistory>
        </xsl:variable>
        <xsl:value-of select="serialize($history, map {'method': 'xml', 'encoding': 'UTF-8',
                                                       'omit-xml-declaration': false(), 'indent': false()})"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="*:callLogsEntry" mode="p:call">
    <xsl:sequence select="p:call(local-name(..), ., p:dial-number(*:phoneNumber), p:first(*:name))"/>
  </xsl:template>

  <!--
    One call of list $list ('placed', 'received' or 'missed'): id, direction, result and time from the list and the
    entry; $number and $name as given.
  -->
  <xsl:function name="p:call" as="element(call)">
    <xsl:param name="list" as="xs:string"/>
    <xsl:param name="entry" as="element()"/>
    <xsl:param name="number" as="xs:string?"/>
    <xsl:param name="name" as="xs:string?"/>
    <xsl:variable name="id" select="p:first($entry/*:callLogId)"/>
    <call id="{$id ! ($list || '-' || .)}"
          direction="{if ($list eq 'placed') then 'outgoing' else 'incoming'}"
          result="{if ($list eq 'missed') then 'missed' else 'answered'}"
          time="{pp:utc($entry/*:time)}">
      <number>{$number}</number>
      <countryCode>{p:first($entry/*:countryCode)}</countryCode>
      <name>{$name}</name>
    </call>
  </xsl:function>

  <!-- An XSI time as an instant in UTC; empty when it is no xs:dateTime (one without an offset is taken as UTC) -->
  <xsl:function name="pp:instant" as="xs:dateTime?">
    <xsl:param name="time" as="item()?"/>
    <xsl:variable name="text" select="normalize-space($time)"/>
    <xsl:sequence select="if ($text castable as xs:dateTime)
                          then adjust-dateTime-to-timezone(xs:dateTime($text), xs:dayTimeDuration('PT0S'))
                          else ()"/>
  </xsl:function>

  <!-- An XSI time as the answer writes it: UTC with milliseconds, 2010-03-26T10:09:39.811Z -->
  <xsl:function name="pp:utc" as="xs:string?">
    <xsl:param name="time" as="item()?"/>
    <xsl:sequence select="pp:instant($time) ! format-dateTime(., '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z')"/>
  </xsl:function>

  <!-- The calls in the xml-to-json vocabulary: key order fixed, so the same calls give the same bytes -->
  <xsl:function name="pp:json" as="element(fn:map)">
    <xsl:param name="calls" as="element(call)*"/>
    <fn:map>
      <fn:array key="calls">
        <xsl:for-each select="$calls">
          <fn:map>
            <fn:string key="id">{@id}</fn:string>
            <fn:string key="direction">{@direction}</fn:string>
            <fn:string key="result">{@result}</fn:string>
            <fn:string key="time">{@time}</fn:string>
            <fn:string key="number">{number}</fn:string>
            <fn:string key="countryCode">{countryCode}</fn:string>
            <fn:string key="name">{name}</fn:string>
          </fn:map>
        </xsl:for-each>
      </fn:array>
    </fn:map>
  </xsl:function>

</xsl:stylesheet>
