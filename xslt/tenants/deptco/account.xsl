<?xml version="1.0" encoding="UTF-8"?>
<!--
  Example override, tenant 'deptco': the app shows the user's department, and the title carries it too.
  X-department comes from the XSI profile's additionalDetails/department, sent empty when there is none (p:key
  always emits its key, so a department the user no longer has is cleared in the app: sample
  samples/deptco-no-department).
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:p="urn:provisioning-proxy"
                exclude-result-prefixes="#all">

  <xsl:import href="../../account.xsl"/>

  <xsl:template match="walk" mode="p:title">
    <xsl:param name="displayName" as="xs:string"/>
    <xsl:variable name="department" select="normalize-space(profile/*/*:additionalDetails/*:department)"/>
    <xsl:sequence select="if ($department) then $displayName || ' (' || $department || ')' else $displayName"/>
  </xsl:template>

  <xsl:template match="walk" mode="p:extra-keys">
    <xsl:sequence select="p:key('X-department', profile/*/*:additionalDetails/*:department)"/>
  </xsl:template>

</xsl:stylesheet>
